"""The full bank account of an individual's claim (附件2 备注2), revealed to the finance
bureau that pays it: everywhere else the account is masked (ADR 0006).

As the registry reveals an ID number (``registry.services.people.person_reveal_id_number``):
one action of the permission table (``claim.reveal_account``, the city's finance bureau over
the claim), a reason, and an audit event naming who, when and which claim — never the number.
The caller shows it once: no list, no cache, no log.
"""

from __future__ import annotations

from django.db import transaction

from chizheng.accounts.access import access_by_id, require
from chizheng.accounts.models import User
from chizheng.core import audit
from chizheng.core.errors import NotFound, ValidationError
from chizheng.core.inputs import check_text

from ..models import Claim, ClaimStatus

REASON_MAX = 200
# From the finance bureau's first review to payment (and after, to reconcile a payment):
# the stages at which finance pays or checks the account it pays into.
REVEALABLE = frozenset(
    {
        ClaimStatus.FINANCE_REVIEW,
        ClaimStatus.FINANCE_FIRST,
        ClaimStatus.APPROVED,
        ClaimStatus.PAID,
    }
)


@transaction.atomic
def individual_claim_reveal_account(*, actor: User, claim_id: int, reason: str) -> str:
    """The full account number of an individual claim, for the city's finance bureau with a
    reason; the reveal is written to the audit log (the masked number only)."""
    require(actor, "claim.reveal_account", message="只有财政部门可以查看完整银行帐号")
    claim = access_by_id(actor, Claim.objects.all(), claim_id)
    require(actor, "claim.reveal_account", claim, message="该申领不在您的管辖范围内")
    if not claim.is_individual or not claim.bank_account:
        raise NotFound(
            "该申领不是个人申请，没有个人银行帐号",
            message_en="not an individual claim: no personal bank account",
            detail={"id": str(claim_id)},
        )
    if claim.status not in REVEALABLE:
        raise ValidationError(
            f"“{claim.get_status_display()}”状态的申领尚未进入财政审核，不能查看完整银行帐号",
            message_en="the full account is shown from the finance review on",
            code="not_at_finance",
        )
    why = reason.strip()
    check_text(why, field="reason", label="查看事由", max_length=REASON_MAX)
    if not why:
        raise ValidationError(
            "请填写查看完整银行帐号的事由",
            message_en="a reason is required",
            detail={"field": "reason"},
        )
    audit.record(
        actor=actor,
        action="claim.reveal_account",
        obj=claim,
        after={"account": claim.bank_account_masked},
        reason=why,
    )
    return str(claim.bank_account)
