"""The review stage of a class application: its chain (the industry department, then HR;
each a first review and a second by another person, with working-day deadlines) on the
review component (``core.review``), the transitions each approval fires, and the applicant's
withdrawal.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from chizheng.accounts.access import access_by_id
from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.core.review import Chain, Level, Seen, Step, open_step, pending_step, record_decision

from .. import workflow
from ..models import Review, TrainingClass
from .common import _classes, _own_class

REVIEW_CHAIN: Chain[Review] = Chain(
    levels=(
        Level.of(
            Review.Level.INDUSTRY,
            action="class.review.industry",
            deadline="class_review.industry_working_days",
        ),
        Level.of(
            Review.Level.HR, action="class.review.hr", deadline="class_review.hr_working_days"
        ),
    ),
    noun="申请",
    model=Review,
    fk="training_class",
)

# The transition an approval of each step fires.
NEXT: dict[tuple[str, str], str] = {
    (Review.Level.INDUSTRY, Step.FIRST): "industry_first",
    (Review.Level.INDUSTRY, Step.SECOND): "industry_second",
    (Review.Level.HR, Step.FIRST): "hr_first",
    (Review.Level.HR, Step.SECOND): "hr_second",
}


def _open_review(
    training_class: TrainingClass, level: str, step: str, accepted_on: dt.date
) -> Review:
    """Open a step (the submission opens the industry first review)."""
    return open_step(REVIEW_CHAIN, training_class, level=level, step=step, accepted_on=accepted_on)


@transaction.atomic
def class_review(
    *, actor: User, class_id: int, decision: str, seen: Seen, opinion: str = ""
) -> Review:
    """One review step: approve moves on; return and reject need a reason. ``seen`` is the
    step and version the reviewer had in front of him: refused if either is no longer so."""
    training_class = access_by_id(actor, _classes().select_for_update(of=("self",)), class_id)
    if training_class.status not in workflow.REVIEWABLE or not pending_step(
        REVIEW_CHAIN, training_class
    ):
        raise workflow.TransitionRefused(
            f"“{training_class.get_status_display()}”状态的申请没有待办审核"
        )
    review = record_decision(
        actor=actor,
        chain=REVIEW_CHAIN,
        obj=training_class,
        seen=seen,
        decision=decision,
        opinion=opinion,
    )
    if decision != Review.Decision.APPROVE:
        workflow.fire(training_class, decision, actor=actor, reason=review.opinion)
        return review
    workflow.fire(
        training_class, NEXT[(review.level, review.step)], actor=actor, reason=review.opinion
    )
    if review.step == Step.FIRST:
        _open_review(training_class, review.level, Step.SECOND, review.accepted_on)
    elif (following := REVIEW_CHAIN.after(review.level)) is not None:
        _open_review(training_class, following.code, Step.FIRST, clock.today())
    return review


@transaction.atomic
def class_withdraw(*, actor: User, class_id: int, reason: str) -> TrainingClass:
    training_class = _own_class(actor, class_id)
    training_class.reviews.filter(done_on__isnull=True).delete()
    return workflow.fire(training_class, "withdraw", actor=actor, reason=reason)
