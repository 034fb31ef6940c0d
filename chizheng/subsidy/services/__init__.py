"""Writes of the subsidy app: claims and their review chain, the public notice and its
objections, fund accounts, disbursement and recovery, the office's standard versions, and
electronic training vouchers. Keyword-only, typed, each in a transaction with an audit event.

Lock order (PostgreSQL), to keep concurrent writers from deadlocking: the claim row first,
then the fund rows of the year in primary-key order, then the class's vouchers in
primary-key order, then (inside ``audit.record``) the audit chain head. Every service that
touches a claim and funds takes them in that order.

One module per section:

- ``standard_versions``: the office's dated amounts of the standard
- ``claims``: calculate and submit a claim
- ``individual``: a person's own claim for one of his certificates (附件2 备注2)
- ``bank_reveal``: his full bank account, shown once to the finance bureau that pays it
- ``review``: the review chain (industry, HR, finance)
- ``notices``: the public notice and its objections
- ``funds``: budgets, disbursement, recovery
- ``vouchers``: electronic training vouchers
- ``common``: the claim look-ups the sections share

This package re-exports the public names, so ``services.claim_submit(...)`` keeps working.
"""

from ..models import SOURCES
from .bank_reveal import individual_claim_reveal_account
from .claims import COMMITMENT, DuplicateSubsidy, claim_calculate, claim_submit
from .funds import (
    Draw,
    InsufficientFunds,
    claim_disburse,
    disbursement_recover,
    fund_budget,
    plan_draws,
    recovery_ordered,
)
from .individual import individual_claim_apply, individual_claim_resubmit
from .notices import NoticeNotClosable, notice_close, objection_handle, objection_submit
from .review import REVIEW_CHAIN, REVIEW_DECISIONS, STEP_OF, claim_review
from .standard_versions import standard_version_add
from .vouchers import (
    BINDABLE,
    ENDED_WITHOUT_ASSESSMENT,
    VoucherRefused,
    voucher_bind,
    voucher_issue,
    vouchers_redeem,
    vouchers_settle,
    vouchers_sweep,
)

__all__ = [
    "BINDABLE",
    "COMMITMENT",
    "ENDED_WITHOUT_ASSESSMENT",
    "REVIEW_CHAIN",
    "REVIEW_DECISIONS",
    "SOURCES",
    "STEP_OF",
    "Draw",
    "DuplicateSubsidy",
    "InsufficientFunds",
    "NoticeNotClosable",
    "VoucherRefused",
    "claim_calculate",
    "claim_disburse",
    "claim_review",
    "claim_submit",
    "disbursement_recover",
    "fund_budget",
    "individual_claim_apply",
    "individual_claim_resubmit",
    "individual_claim_reveal_account",
    "notice_close",
    "objection_handle",
    "objection_submit",
    "plan_draws",
    "recovery_ordered",
    "standard_version_add",
    "voucher_bind",
    "voucher_issue",
    "vouchers_redeem",
    "vouchers_settle",
    "vouchers_sweep",
]
