"""The review stage: the steps an application goes through (its industry department, then
HR; each a first review and a second by another person) with their working-day deadlines,
who may take each step, and the applicant's withdrawal.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from chizheng.accounts.access import access_by_id
from chizheng.accounts.models import Role, User
from chizheng.core import clock
from chizheng.core.calendar import calendar
from chizheng.core.errors import PermissionDenied, ValidationError
from chizheng.core.inputs import check_choice
from chizheng.core.review import Seen, check_seen
from chizheng.rules import params

from .. import workflow
from ..models import Review, TrainingClass
from .common import _classes, _own_class


def _open_review(
    training_class: TrainingClass,
    level: str,
    step: str,
    accepted_on: dt.date,
    due_on: dt.date | None = None,
) -> Review:
    if due_on is None:
        name = (
            "class_review.industry_working_days"
            if level == Review.Level.INDUSTRY
            else "class_review.hr_working_days"
        )
        due_on = calendar().add(accepted_on, params.current().value(name, accepted_on))
    return Review.objects.create(
        training_class=training_class,
        level=level,
        step=step,
        accepted_on=accepted_on,
        due_on=due_on,
    )


def _may_review(actor: User, training_class: TrainingClass, review: Review) -> None:
    if actor.institution_id and actor.institution_id == training_class.institution_id:
        raise PermissionDenied(
            "不能审核本机构的申请", message_en="no one reviews his own institution"
        )
    if review.level == Review.Level.INDUSTRY:
        ok = actor.role == Role.INDUSTRY and actor.department_id == training_class.department_id
    else:
        ok = actor.role == Role.PROGRAMME_OFFICE or (
            actor.role == Role.COUNTY_HR and actor.county_id == training_class.institution.county_id
        )
    if not ok:
        raise PermissionDenied(
            f"您不能进行“{review.get_level_display()}{review.get_step_display()}”",
            message_en="not your review",
        )
    if review.step == Review.Step.SECOND:
        first = (
            training_class.reviews.filter(
                level=review.level, step=Review.Step.FIRST, done_on__isnull=False
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


NEXT = {
    (Review.Level.INDUSTRY, Review.Step.FIRST): "industry_first",
    (Review.Level.INDUSTRY, Review.Step.SECOND): "industry_second",
    (Review.Level.HR, Review.Step.FIRST): "hr_first",
    (Review.Level.HR, Review.Step.SECOND): "hr_second",
}


@transaction.atomic
def class_review(
    *, actor: User, class_id: int, decision: str, seen: Seen, opinion: str = ""
) -> Review:
    """One review step: approve moves on; return and reject need a reason. ``seen`` is the
    step and version the reviewer had in front of him: refused if either is no longer so."""
    training_class = access_by_id(actor, _classes().select_for_update(of=("self",)), class_id)
    review = (
        training_class.reviews.select_for_update()
        .filter(done_on__isnull=True)
        .order_by("id")
        .first()
    )
    if review is None or training_class.status not in workflow.REVIEWABLE:
        raise workflow.TransitionRefused(
            f"“{training_class.get_status_display()}”状态的申请没有待办审核"
        )
    _may_review(actor, training_class, review)
    check_seen(
        seen,
        level=review.level,
        step=review.step,
        version=training_class.version,
        pending=f"{review.get_level_display()}{review.get_step_display()}",
        what="申请",
    )
    check_choice(decision, Review.Decision, field="decision", label="审核结论")
    if decision != Review.Decision.APPROVE and not opinion.strip():
        raise ValidationError("退回或不予批准须填写理由", detail={"field": "opinion"})
    today = clock.today()
    review.reviewer, review.decision, review.opinion, review.done_on = (
        actor,
        decision,
        opinion.strip(),
        today,
    )
    review.save()
    if decision == Review.Decision.APPROVE:
        workflow.fire(
            training_class, NEXT[(review.level, review.step)], actor=actor, reason=opinion
        )
        if review.step == Review.Step.FIRST:
            _open_review(
                training_class, review.level, Review.Step.SECOND, review.accepted_on, review.due_on
            )
        elif review.level == Review.Level.INDUSTRY:
            _open_review(training_class, Review.Level.HR, Review.Step.FIRST, today)
    else:
        workflow.fire(
            training_class,
            "return" if decision == Review.Decision.RETURN else "reject",
            actor=actor,
            reason=opinion,
        )
    return review


@transaction.atomic
def class_withdraw(*, actor: User, class_id: int, reason: str) -> TrainingClass:
    training_class = _own_class(actor, class_id)
    training_class.reviews.filter(done_on__isnull=True).delete()
    return workflow.fire(training_class, "withdraw", actor=actor, reason=reason)
