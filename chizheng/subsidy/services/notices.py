"""The public notice of a claim (公示) and its objections: anyone may object without signing
in; the office handles each objection (an upheld one returns the claim) and closes the
notice only after its full working days, every objection handled, passing the claim to HR.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from chizheng.accounts.access import access_by_id, require
from chizheng.accounts.models import User
from chizheng.core import audit, clock
from chizheng.core.errors import DomainError, NotFound, ValidationError
from chizheng.core.inputs import LONG_TEXT, check_text
from chizheng.rules import params

from .. import workflow
from ..models import Claim, ClaimReview, ClaimStatus, Objection
from .common import _locked_claim
from .review import _open_review


class NoticeNotClosable(DomainError):
    code = "notice_not_closable"
    http_status = 409


def _may_handle_notice(actor: User, claim: Claim) -> None:
    require(actor, "notice.handle")  # the role first: its refusal says so
    require(actor, "notice.handle", claim, message="只有本县（市、区）人社局或市人社局可以处理公示")


@transaction.atomic
def notice_close(*, actor: User, claim_id: int) -> Claim:
    """End the public notice and pass the claim to HR review — only after the notice has run
    its full working days (the day after the window's last day) with every objection handled."""
    claim = _locked_claim(actor, claim_id)
    _may_handle_notice(actor, claim)
    if claim.status != ClaimStatus.ON_NOTICE or claim.notice_earliest_end is None:
        raise workflow.TransitionRefused("该申领不在公示期")
    today = clock.today()
    if today <= claim.notice_earliest_end:
        raise NoticeNotClosable(
            f"公示自{claim.notice_from}起须满{_notice_days(claim)}个工作日，"
            f"{claim.notice_earliest_end}期满后方可结束公示",
            message_en=f"the notice runs until {claim.notice_earliest_end}",
            detail={"earliest_end": claim.notice_earliest_end.isoformat()},
        )
    open_ = claim.objections.filter(outcome=Objection.Outcome.OPEN).count()
    if open_:
        raise NoticeNotClosable(
            f"公示期间收到的异议尚有{open_}件未处理，不能结束公示",
            message_en=f"{open_} objection(s) not handled",
            detail={"open_objections": open_},
        )
    claim.notice_until = today - dt.timedelta(days=1)
    claim.save(update_fields=["notice_until"])
    workflow.fire(claim, "notice_close", actor=actor, reason=f"公示至{claim.notice_until}")
    _open_review(claim, ClaimReview.Level.HR, ClaimReview.Step.FIRST, today)
    return claim


def _notice_days(claim: Claim) -> int:
    assert claim.notice_from is not None
    return int(
        params.current().value("deadlines.public_notice_min_working_days", claim.notice_from)
    )


@transaction.atomic
def objection_submit(*, claim_id: int, text: str, contact: str = "") -> Objection:
    """Anyone may object to a claim on public notice (no sign-in)."""
    claim = Claim.objects.select_for_update().filter(pk=claim_id).first()
    if claim is None or claim.status != ClaimStatus.ON_NOTICE:
        raise NotFound("该公示不存在或已结束", message_en="no such notice open")
    text = text.strip()
    check_text(text, field="text", label="异议内容", multiline=True)
    check_text(contact, field="contact", label="联系方式", max_length=60)
    if not 5 <= len(text) <= 2000:
        raise ValidationError("请填写异议内容（5–2000字）", detail={"field": "text"})
    o = Objection.objects.create(
        claim=claim, text=text, contact=contact.strip()[:60], received_at=clock.now()
    )
    audit.record(actor=None, action="claim.objection", obj=o, after={"claim": claim.pk})
    return o


@transaction.atomic
def objection_handle(*, actor: User, objection_id: int, outcome: str, handling: str) -> Objection:
    """The office's handling of one objection; an upheld objection returns the claim."""
    o = access_by_id(actor, Objection.objects.select_related("claim"), objection_id)
    claim = _locked_claim(actor, o.claim_id)
    _may_handle_notice(actor, claim)
    if o.outcome != Objection.Outcome.OPEN:
        raise workflow.TransitionRefused("该异议已处理")
    if outcome not in (Objection.Outcome.DISMISSED, Objection.Outcome.UPHELD):
        raise ValidationError("处理结论须为异议不成立或异议成立", detail={"field": "outcome"})
    if not handling.strip():
        raise ValidationError("须填写处理情况", detail={"field": "handling"})
    check_text(handling, field="handling", label="处理情况", max_length=LONG_TEXT, multiline=True)
    o.outcome, o.handling, o.handled_by, o.handled_on = outcome, handling, actor, clock.today()
    o.save()
    audit.record(
        actor=actor,
        action="claim.objection_handle",
        obj=o,
        after={"outcome": outcome},
        reason=handling,
    )
    if outcome == Objection.Outcome.UPHELD and claim.status == ClaimStatus.ON_NOTICE:
        claim.notice_until = clock.today()
        claim.save(update_fields=["notice_until"])
        workflow.fire(claim, "return", actor=actor, reason=f"公示异议成立：{handling}")
    return o
