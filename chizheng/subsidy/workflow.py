"""The declared transitions of a subsidy claim (附件2 补贴资金申领 → 资金拨付) and the one way
to fire them. Each names the statuses it leaves, the one it reaches and the roles that may
fire it; ``fire`` (``core.workflow``) writes a ``ClaimTransition`` row and an audit event in
the caller's transaction. Who *within* a role may act is checked by the services.
"""

from __future__ import annotations

from chizheng.accounts.models import Role
from chizheng.core.workflow import SYSTEM, StateMachine, Transition, rows_in
from chizheng.core.workflow import TransitionRefused as TransitionRefused  # re-exported

from .models import Claim, ClaimStatus, ClaimTransition, Voucher, VoucherEvent, VoucherStatus

S = ClaimStatus


INSTITUTION = frozenset({Role.INSTITUTION})
INDUSTRY = frozenset({Role.INDUSTRY})
HR = frozenset({Role.COUNTY_HR, Role.PROGRAMME_OFFICE})
FINANCE = frozenset({Role.FINANCE})
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
        Transition(
            "submit", "提交申领", frozenset({S.CALCULATED, S.RETURNED}), S.SUBMITTED, INSTITUTION
        ),
        Transition(
            "industry_first",
            "行业主管部门初审同意",
            frozenset({S.SUBMITTED}),
            S.INDUSTRY_FIRST,
            INDUSTRY,
        ),
        Transition(
            "industry_second",
            "行业主管部门复核同意",
            frozenset({S.INDUSTRY_FIRST}),
            S.ON_NOTICE,
            INDUSTRY,
        ),
        Transition("notice_close", "结束公示", frozenset({S.ON_NOTICE}), S.HR_REVIEW, HR),
        Transition("hr_first", "人社部门初审同意", frozenset({S.HR_REVIEW}), S.HR_FIRST, HR),
        Transition("hr_second", "人社部门复核同意", frozenset({S.HR_FIRST}), S.FINANCE_REVIEW, HR),
        Transition(
            "finance_first",
            "财政部门初审同意",
            frozenset({S.FINANCE_REVIEW}),
            S.FINANCE_FIRST,
            FINANCE,
        ),
        Transition(
            "finance_second", "财政部门复核同意", frozenset({S.FINANCE_FIRST}), S.APPROVED, FINANCE
        ),
        Transition("disburse", "拨付资金", frozenset({S.APPROVED}), S.PAID, FINANCE),
        Transition("return", "退回修改", REVIEWABLE, S.RETURNED, INDUSTRY | HR | FINANCE),
        Transition("reject", "不予补贴", REVIEWABLE, S.REJECTED, INDUSTRY | HR | FINANCE),
    ]
}


MACHINE: StateMachine[Claim] = StateMachine(
    TRANSITIONS.values(), action="claim", log=rows_in(ClaimTransition, "claim")
)
fire = MACHINE.fire
available = MACHINE.available


# 电子培训券 (§20(5)): 实名制、不得转让、以证换券、无证无价 — a closed loop.
V = VoucherStatus
ANYONE_OF_THE_LOOP = frozenset(
    {SYSTEM, Role.INSTITUTION, Role.EVALUATOR, Role.COUNTY_HR, Role.PROGRAMME_OFFICE}
)
VOUCHER_TRANSITIONS = [
    Transition.of("bind", "绑定培训班", {V.ISSUED}, V.BOUND, {Role.INSTITUTION}),
    Transition.of("redeem", "以证换券", {V.BOUND}, V.REDEEMED, ANYONE_OF_THE_LOOP),
    Transition.of("void", "作废（无证无价）", {V.BOUND}, V.VOID, ANYONE_OF_THE_LOOP),
    Transition.of(
        "expire", "过期作废", {V.ISSUED}, V.VOID, {SYSTEM, Role.COUNTY_HR, Role.PROGRAMME_OFFICE}
    ),
]


VOUCHERS: StateMachine[Voucher] = StateMachine(
    VOUCHER_TRANSITIONS, action="voucher", log=rows_in(VoucherEvent, "voucher")
)
