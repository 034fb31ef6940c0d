"""The declared transitions of a subsidy claim (附件2 补贴资金申领 → 资金拨付) and of a training
voucher, and the one way to fire them. Each names the statuses it leaves, the one it reaches
and the action of the permission table (``accounts.permissions``) that fires it; ``fire``
(``core.workflow``) writes a ``ClaimTransition`` row and an audit event in the caller's
transaction. Whether the claim is the actor's own the services ask the same table with it.
"""

from __future__ import annotations

from chizheng.core.workflow import StateMachine, Transition, rows_in
from chizheng.core.workflow import TransitionRefused as TransitionRefused  # re-exported

from .models import Claim, ClaimStatus, ClaimTransition, Voucher, VoucherEvent, VoucherStatus

S = ClaimStatus
_t = Transition.of

REVIEWABLE = frozenset(
    {
        S.SUBMITTED,
        S.INDUSTRY_FIRST,
        S.ON_NOTICE,
        S.HR_REVIEW,
        S.HR_FIRST,
        S.FINANCE_REVIEW,
        S.FINANCE_FIRST,
    }
)

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        _t("submit", "提交申领", {S.CALCULATED, S.RETURNED}, S.SUBMITTED, action="subsidy.claim"),
        _t(
            "industry_first",
            "行业主管部门初审同意",
            {S.SUBMITTED},
            S.INDUSTRY_FIRST,
            action="claim.review.industry",
        ),
        _t(
            "industry_second",
            "行业主管部门复核同意",
            {S.INDUSTRY_FIRST},
            S.ON_NOTICE,
            action="claim.review.industry",
        ),
        _t("notice_close", "结束公示", {S.ON_NOTICE}, S.HR_REVIEW, action="notice.handle"),
        _t("hr_first", "人社部门初审同意", {S.HR_REVIEW}, S.HR_FIRST, action="claim.review.hr"),
        _t(
            "hr_second",
            "人社部门复核同意",
            {S.HR_FIRST},
            S.FINANCE_REVIEW,
            action="claim.review.hr",
        ),
        _t(
            "finance_first",
            "财政部门初审同意",
            {S.FINANCE_REVIEW},
            S.FINANCE_FIRST,
            action="claim.review.finance",
        ),
        _t(
            "finance_second",
            "财政部门复核同意",
            {S.FINANCE_FIRST},
            S.APPROVED,
            action="claim.review.finance",
        ),
        _t("disburse", "拨付资金", {S.APPROVED}, S.PAID, action="fund.manage"),
        _t("return", "退回修改", REVIEWABLE, S.RETURNED, action="claim.review"),
        _t("reject", "不予补贴", REVIEWABLE, S.REJECTED, action="claim.review"),
    ]
}


MACHINE: StateMachine[Claim] = StateMachine(
    TRANSITIONS.values(), action="claim", log=rows_in(ClaimTransition, "claim")
)
fire = MACHINE.fire
available = MACHINE.available


# 电子培训券 (§20(5)): 实名制、不得转让、以证换券、无证无价 — a closed loop. After the class's
# assessment a bound voucher is certified (its holder's certificate of the class recorded) or
# void; a certified one is redeemed when the claim line it pays for is paid, in the same
# transaction as the disbursement, or void when that line is not paid or the claim rejected.
V = VoucherStatus
VOUCHER_TRANSITIONS = [
    _t("bind", "绑定培训班", {V.ISSUED}, V.BOUND, action="voucher.bind"),
    _t("certify", "取得证书，待兑付", {V.BOUND}, V.CERTIFIED, action="voucher.settle"),
    _t("void", "作废（无证无价）", {V.BOUND}, V.VOID, action="voucher.settle"),
    _t("redeem", "以证换券（补贴拨付）", {V.CERTIFIED}, V.REDEEMED, action="voucher.redeem"),
    _t("forfeit", "作废（未获补贴）", {V.CERTIFIED}, V.VOID, action="voucher.redeem"),
    _t("expire", "过期作废", {V.ISSUED}, V.VOID, action="voucher.expire"),
    # Certified, and its class's claim not submitted within ``vouchers.claim_working_days``
    # of the certificate: void (the nightly sweep).
    _t("lapse", "逾期未申领作废", {V.CERTIFIED}, V.VOID, action="voucher.expire"),
]


VOUCHERS: StateMachine[Voucher] = StateMachine(
    VOUCHER_TRANSITIONS, action="voucher", log=rows_in(VoucherEvent, "voucher")
)
