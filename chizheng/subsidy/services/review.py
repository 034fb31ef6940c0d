"""The review chain of a claim on the review component (``core.review``): industry
department, HR, finance, each a first review and a second by another person, with the
working-day limit of each level; approval by the industry department opens the public
notice (HR's review follows its close), a rejection releases the claim's lines and voids
its class's vouchers.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.core.calendar import calendar
from chizheng.core.review import (
    Chain,
    Decision,
    Level,
    Seen,
    Step,
    open_step,
    pending_step,
    record_decision,
)
from chizheng.rules import params

from .. import workflow
from ..models import Claim, ClaimReview, ClaimStatus
from .common import _locked_claim
from .vouchers import vouchers_of_rejected, vouchers_release

REVIEW_CHAIN: Chain[ClaimReview] = Chain(
    levels=(
        Level.of(
            ClaimReview.Level.INDUSTRY,
            action="claim.review.industry",
            deadline="deadlines.industry_review_working_days",
        ),
        Level.of(
            ClaimReview.Level.HR,
            action="claim.review.hr",
            deadline="deadlines.hr_review_working_days",
        ),
        Level.of(
            ClaimReview.Level.FINANCE,
            action="claim.review.finance",
            deadline="deadlines.finance_review_working_days",
        ),
    ),
    noun="申领",
    model=ClaimReview,
    fk="claim",
)
# The step pending in each status, and the transition its approval fires.
STEP_OF = {
    ClaimStatus.SUBMITTED: (ClaimReview.Level.INDUSTRY, Step.FIRST, "industry_first"),
    ClaimStatus.INDUSTRY_FIRST: (ClaimReview.Level.INDUSTRY, Step.SECOND, "industry_second"),
    ClaimStatus.HR_REVIEW: (ClaimReview.Level.HR, Step.FIRST, "hr_first"),
    ClaimStatus.HR_FIRST: (ClaimReview.Level.HR, Step.SECOND, "hr_second"),
    ClaimStatus.FINANCE_REVIEW: (ClaimReview.Level.FINANCE, Step.FIRST, "finance_first"),
    ClaimStatus.FINANCE_FIRST: (ClaimReview.Level.FINANCE, Step.SECOND, "finance_second"),
}


# The conclusions of a review step of the claim chain (the transitions of the same names).
REVIEW_DECISIONS = REVIEW_CHAIN.decisions


def _open_review(claim: Claim, level: str, step: str, accepted_on: dt.date) -> ClaimReview:
    """Open a step (the submission opens the industry first review, the notice's close the
    HR first review)."""
    return open_step(REVIEW_CHAIN, claim, level=level, step=step, accepted_on=accepted_on)


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
    # A rejection voids the class's vouchers: locked before the first audit event (lock order).
    vouchers = vouchers_of_rejected(claim=claim) if decision == Decision.REJECT else []
    if pending_step(REVIEW_CHAIN, claim) is None:
        _open_review(claim, level, step, clock.today())
    review = record_decision(
        actor=actor, chain=REVIEW_CHAIN, obj=claim, seen=seen, decision=decision, opinion=opinion
    )
    if decision != Decision.APPROVE:
        workflow.fire(claim, decision, actor=actor, reason=review.opinion)
        if decision == Decision.REJECT:
            _release_lines(claim)
            vouchers_release(claim=claim, vouchers=vouchers)
        return review
    workflow.fire(claim, name, actor=actor, reason=review.opinion)
    today = clock.today()
    if claim.status == ClaimStatus.ON_NOTICE:
        cal = calendar()
        start = today if cal.is_workday(today) else cal.add(today, 1)
        need = params.current().value("deadlines.public_notice_min_working_days", start)
        claim.notice_from, claim.notice_earliest_end = start, cal.window(start, need)
        claim.notice_until = None
        claim.save(update_fields=["notice_from", "notice_earliest_end", "notice_until"])
    elif step == Step.FIRST:
        _open_review(claim, level, Step.SECOND, today)
    elif (following := REVIEW_CHAIN.after(level)) is not None:
        _open_review(claim, following.code, Step.FIRST, today)
    return review
