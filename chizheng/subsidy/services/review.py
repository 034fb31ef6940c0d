"""The review chain of a claim: industry department, HR, finance, each a first review and a
second by another person, with the working-day limit of each level; approval by HR opens
the public notice, a rejection releases the claim's lines.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from chizheng.accounts.access import require
from chizheng.accounts.models import Role, User
from chizheng.core import clock
from chizheng.core.calendar import calendar
from chizheng.core.errors import PermissionDenied, ValidationError
from chizheng.core.inputs import LONG_TEXT, check_choice, check_text
from chizheng.core.review import Seen, check_seen
from chizheng.rules import params

from .. import workflow
from ..models import Claim, ClaimReview, ClaimStatus
from .common import _locked_claim

LEVEL_DEADLINE: dict[str, str] = {
    ClaimReview.Level.INDUSTRY: "deadlines.industry_review_working_days",
    ClaimReview.Level.HR: "deadlines.hr_review_working_days",
    ClaimReview.Level.FINANCE: "deadlines.finance_review_working_days",
}
STEP_OF = {
    ClaimStatus.SUBMITTED: (ClaimReview.Level.INDUSTRY, ClaimReview.Step.FIRST, "industry_first"),
    ClaimStatus.INDUSTRY_FIRST: (
        ClaimReview.Level.INDUSTRY,
        ClaimReview.Step.SECOND,
        "industry_second",
    ),
    ClaimStatus.HR_REVIEW: (ClaimReview.Level.HR, ClaimReview.Step.FIRST, "hr_first"),
    ClaimStatus.HR_FIRST: (ClaimReview.Level.HR, ClaimReview.Step.SECOND, "hr_second"),
    ClaimStatus.FINANCE_REVIEW: (
        ClaimReview.Level.FINANCE,
        ClaimReview.Step.FIRST,
        "finance_first",
    ),
    ClaimStatus.FINANCE_FIRST: (
        ClaimReview.Level.FINANCE,
        ClaimReview.Step.SECOND,
        "finance_second",
    ),
}


# The conclusions of a review step of the claim chain (the transitions of the same names).
REVIEW_DECISIONS = {"approve": "同意", "return": "退回修改", "reject": "不予补贴"}


def _open_review(claim: Claim, level: str, step: str, accepted_on: dt.date) -> ClaimReview:
    first = (
        claim.reviews.filter(level=level, step=ClaimReview.Step.FIRST).order_by("-id").first()
        if step == ClaimReview.Step.SECOND
        else None
    )
    if first is not None:
        # Both steps of a level count against one limit from the level's acceptance.
        accepted_on, due_on = first.accepted_on, first.due_on
    else:
        limit = params.current().value(LEVEL_DEADLINE[level], accepted_on)
        due_on = calendar().add(accepted_on, limit)
    return ClaimReview.objects.create(
        claim=claim, level=level, step=step, accepted_on=accepted_on, due_on=due_on
    )


def _may_review(actor: User, claim: Claim, review: ClaimReview) -> None:
    require(actor, "subsidy.review")
    if review.level == ClaimReview.Level.INDUSTRY:
        ok = actor.role == Role.INDUSTRY and actor.department_id == claim.department_id
    elif review.level == ClaimReview.Level.HR:
        ok = actor.role == Role.PROGRAMME_OFFICE or (
            actor.role == Role.COUNTY_HR and actor.county_id == claim.county_id
        )
    else:
        ok = actor.role == Role.FINANCE and actor.city_id == claim.county.city_id
    if not ok:
        raise PermissionDenied(
            f"您不能进行“{review.get_level_display()}{review.get_step_display()}”",
            message_en="not your review",
        )
    if review.step == ClaimReview.Step.SECOND:
        first = (
            claim.reviews.filter(
                level=review.level, step=ClaimReview.Step.FIRST, done_on__isnull=False
            )
            .order_by("-id")
            .first()
        )
        if first and first.reviewer_id == actor.pk:
            raise PermissionDenied(
                "复核须由初审人以外的人员进行",
                message_en="the second review must be by another person",
                code="same_reviewer",
            )


def _release_lines(claim: Claim) -> None:
    claim.lines.update(counted=False)


@transaction.atomic
def claim_review(
    *, actor: User, claim_id: int, decision: str, seen: Seen, opinion: str = ""
) -> ClaimReview:
    """One review step of the claim's current level: approve, return or reject. ``seen`` is
    the step and version the reviewer had in front of him: refused if either is no longer so."""
    claim = _locked_claim(actor, claim_id)
    if claim.status not in STEP_OF:
        raise workflow.TransitionRefused(f"“{claim.get_status_display()}”状态的申领不在审核中")
    level, step, name = STEP_OF[ClaimStatus(claim.status)]
    review = claim.reviews.filter(level=level, step=step, done_on__isnull=True).last()
    if review is None:
        review = _open_review(claim, level, step, clock.today())
    _may_review(actor, claim, review)
    check_seen(
        seen,
        level=level,
        step=step,
        version=claim.version,
        pending=f"{review.get_level_display()}{review.get_step_display()}",
        what="申领",
    )
    check_choice(decision, REVIEW_DECISIONS, field="decision", label="审核结论")
    check_text(opinion, field="opinion", label="审核意见", max_length=LONG_TEXT, multiline=True)
    if decision != "approve" and not opinion.strip():
        raise ValidationError("退回或不予补贴须说明理由", detail={"field": "opinion"})
    today = clock.today()
    review.reviewer, review.decision, review.opinion, review.done_on = (
        actor,
        decision,
        opinion,
        today,
    )
    review.save()
    if decision != "approve":
        workflow.fire(claim, decision, actor=actor, reason=opinion)
        if decision == "reject":
            _release_lines(claim)
        return review
    workflow.fire(claim, name, actor=actor, reason=opinion)
    if claim.status == ClaimStatus.ON_NOTICE:
        cal = calendar()
        start = today if cal.is_workday(today) else cal.add(today, 1)
        need = params.current().value("deadlines.public_notice_min_working_days", start)
        claim.notice_from, claim.notice_earliest_end = start, cal.window(start, need)
        claim.notice_until = None
        claim.save(update_fields=["notice_from", "notice_earliest_end", "notice_until"])
    elif step == ClaimReview.Step.FIRST:
        _open_review(claim, level, ClaimReview.Step.SECOND, today)
    elif claim.status == ClaimStatus.FINANCE_REVIEW:
        _open_review(claim, ClaimReview.Level.FINANCE, ClaimReview.Step.FIRST, today)
    return review
