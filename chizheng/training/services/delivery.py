"""The delivery and supervision stage (附件2 过程监管): starting the training, sessions with
their recording evidence, attendance, makeups approved by the local HR bureau (§21),
on-site inspections and the counts they fix (§21), and the satisfaction survey with the
suspension it may bring (§19).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from chizheng.accounts.access import access_by_id, can, require
from chizheng.accounts.models import User
from chizheng.core import audit, clock
from chizheng.core.errors import PermissionDenied, ValidationError
from chizheng.core.inputs import check_choice
from chizheng.registry import services as registry
from chizheng.rules import params

from .. import workflow
from ..models import (
    Attendance,
    Enrolment,
    FinalAssessment,
    Inspection,
    Makeup,
    Session,
    Status,
    SurveyResponse,
    TrainingClass,
)
from .common import _classes, _own_class


@transaction.atomic
def class_start(*, actor: User, class_id: int) -> TrainingClass:
    training_class = _own_class(actor, class_id, "class.deliver")
    if clock.today() < training_class.start_date:
        raise ValidationError(
            f"开班时间为{training_class.start_date}，尚未到开班日期", detail={"field": "start_date"}
        )
    return workflow.fire(training_class, "start", actor=actor)


def _class_in_training(actor: User, class_id: int) -> TrainingClass:
    training_class = access_by_id(actor, _classes(), class_id)
    if training_class.status not in (Status.IN_TRAINING, Status.ASSESSMENT_REGISTERED):
        raise workflow.TransitionRefused(
            f"“{training_class.get_status_display()}”状态的培训班不能登记培训过程"
        )
    return training_class


@transaction.atomic
def session_add(
    *,
    actor: User,
    class_id: int,
    held_on: dt.date,
    kind: str,
    class_hours: int,
    minutes: int,
    recorded_minutes: int = 0,
    longest_continuous: Sequence[int] = (),
    shows_all_trainees: bool = True,
) -> Session:
    """A scheduled session with its recording evidence; each class hour ≥ the policy minimum."""
    training_class = _class_in_training(actor, class_id)
    require(
        actor,
        "class.deliver",
        training_class,
        message="只有培训机构可以登记课程",
        message_en="only the institution",
    )
    minimum = params.current().value("class.min_class_hour_minutes", held_on)
    if class_hours < 1 or minutes < class_hours * minimum:
        clause = params.current().version("class.min_class_hour_minutes", held_on).clause
        raise ValidationError(
            f"每课时不低于{minimum}分钟（{clause}）：{class_hours}课时只有{minutes}分钟",
            detail={"field": "minutes", "minimum": class_hours * minimum},
        )
    check_choice(kind, Session.Kind, field="kind", label="课程类型")
    s = Session.objects.create(
        training_class=training_class,
        held_on=held_on,
        kind=kind,
        class_hours=class_hours,
        minutes=minutes,
        recorded_minutes=recorded_minutes,
        longest_continuous=list(longest_continuous),
        shows_all_trainees=shows_all_trainees,
    )
    audit.record(
        actor=actor,
        action="class.session_add",
        obj=s,
        after={"class": training_class.pk, "held_on": held_on, "kind": kind},
    )
    return s


@transaction.atomic
def attendance_record(*, actor: User, session_id: int, present_person_ids: Iterable[int]) -> int:
    """Sign-in of one session: every enrolled trainee present or absent (re-recording replaces)."""
    session = access_by_id(actor, Session.objects.select_related("training_class"), session_id)
    _class_in_training(actor, session.training_class_id)
    require(
        actor, "class.deliver", session.training_class, message="只有本班的培训机构可以登记签到"
    )
    present = set(present_person_ids)
    enrolments = list(session.training_class.enrolments.all())
    unknown = present - {e.person_id for e in enrolments}
    if unknown:
        raise ValidationError("签到人员不在本班名册中", detail={"person_ids": sorted(unknown)})
    Attendance.objects.filter(session=session).delete()
    Attendance.objects.bulk_create(
        [
            Attendance(session=session, enrolment=e, present=e.person_id in present)
            for e in enrolments
        ]
    )
    audit.record(
        actor=actor,
        action="class.attendance",
        obj=session,
        after={"present": len(present), "enrolled": len(enrolments)},
    )
    return len(present)


@transaction.atomic
def makeup_approve(
    *, actor: User, enrolment_id: int, session_id: int, completed_on: dt.date
) -> Makeup:
    """§21: the local HR bureau approves a makeup; it counts if done before the final assessment."""
    enrolment = access_by_id(
        actor, Enrolment.objects.select_related("training_class__institution"), enrolment_id
    )
    require(actor, "makeup.approve", message="补课须经培训所在地人力资源社会保障部门同意")
    session = Session.objects.get(pk=session_id, training_class=enrolment.training_class)
    assessment = FinalAssessment.objects.filter(training_class=enrolment.training_class).first()
    if assessment and completed_on >= assessment.held_on:
        raise ValidationError(
            f"补课须在结业考核（{assessment.held_on}）前完成（§21）",
            detail={"field": "completed_on"},
        )
    m = Makeup.objects.create(
        enrolment=enrolment,
        session=session,
        completed_on=completed_on,
        approved_by=actor,
        approved_on=clock.today(),
    )
    audit.record(
        actor=actor,
        action="class.makeup_approve",
        obj=m,
        after={"session": session.pk, "completed_on": completed_on},
    )
    return m


@transaction.atomic
def inspection_record(
    *,
    actor: User,
    class_id: int,
    kind: str,
    held_on: dt.date,
    place: str,
    present: int,
    signed_in: int,
    teachers_present: int,
    materials_kept: bool = True,
    notes: str = "",
) -> Inspection:
    """An on-site inspection (附件2 过程监管); the class's average present is recomputed (§21)."""
    require(actor, "inspection.record", message="只有检查人员可以登记检查情况")
    check_choice(kind, Inspection.Kind, field="kind", label="检查类型")
    training_class = access_by_id(actor, _classes().select_for_update(of=("self",)), class_id)
    if training_class.status not in (
        Status.APPROVED,
        Status.IN_TRAINING,
        Status.ASSESSMENT_REGISTERED,
    ):
        raise workflow.TransitionRefused(
            f"“{training_class.get_status_display()}”状态的培训班不能登记检查"
        )
    if kind == Inspection.Kind.OPENING and held_on != training_class.start_date:
        raise ValidationError(
            f"开班当日检查的日期应为开班日 {training_class.start_date}", detail={"field": "held_on"}
        )
    enrolled = training_class.enrolments.count()
    if present > enrolled or signed_in > enrolled:
        raise ValidationError(
            f"在位或签到人数超过名册人数（{enrolled}）", detail={"field": "present"}
        )
    i = Inspection.objects.create(
        training_class=training_class,
        kind=kind,
        held_on=held_on,
        place=place,
        inspector=actor,
        present=present,
        signed_in=signed_in,
        teachers_present=teachers_present,
        materials_kept=materials_kept,
        notes=notes,
    )
    _recount(training_class, enrolled)
    audit.record(
        actor=actor,
        action="class.inspection",
        obj=i,
        after={
            "class": training_class.pk,
            "kind": kind,
            "present": present,
            "average_present": training_class.average_present,
            "trained": training_class.trained,
        },
    )
    return i


def _recount(training_class: TrainingClass, enrolled: int) -> None:
    """§21, one definition for every reader: counted trainees are those present at the
    opening-day inspection; trained are the average present at the inspections during
    training (``rules.evidence_rules.trained_count``). ``average_present`` is the unrounded
    average 附件2 prints."""
    from chizheng.rules import facts as f
    from chizheng.rules.evidence_rules import trained_count

    inspections = list(training_class.inspections.all())
    opening = next((i.present for i in inspections if i.kind == Inspection.Kind.OPENING), enrolled)
    during = tuple(i.present for i in inspections if i.kind == Inspection.Kind.DURING)
    training_class.average_present = (
        (Decimal(sum(during)) / len(during)).quantize(Decimal("0.01")) if during else None
    )
    training_class.trained = trained_count(
        f.Attendance(
            class_ref=training_class.batch,
            planned_trainees=training_class.planned_count,
            present_at_opening=opening,
            present_at_inspections=during,
        )
    )
    training_class.save(update_fields=["average_present", "trained"])


@transaction.atomic
def survey_answer(
    *, actor: User, class_id: int, satisfied: bool, comment: str = ""
) -> SurveyResponse:
    if not can(actor, "survey.answer") or actor.person_id is None:
        raise PermissionDenied("满意度调查由参训学员本人填写")
    enrolment = (
        Enrolment.objects.select_related("training_class")
        .filter(training_class_id=class_id, person_id=actor.person_id)
        .first()
    )
    if enrolment is None:
        raise PermissionDenied("您不在该培训班的名册中")
    if enrolment.training_class.survey_closed_on is not None:
        raise ValidationError(f"满意度调查已于{enrolment.training_class.survey_closed_on}汇总结束")
    if enrolment.training_class.status not in SURVEY_OPEN:
        raise ValidationError("培训开始后才能填写满意度调查")
    response, _ = SurveyResponse.objects.update_or_create(
        enrolment=enrolment,
        defaults={"satisfied": satisfied, "comment": comment.strip(), "answered_at": clock.now()},
    )
    audit.record(
        actor=actor, action="class.survey_answer", obj=response, after={"satisfied": satisfied}
    )
    return response


# A survey is answered and closed once training has begun (§19: 开展培训满意度调查).
SURVEY_OPEN = {Status.IN_TRAINING, Status.ASSESSMENT_REGISTERED, Status.ASSESSED}


@dataclass(frozen=True)
class SurveyOutcome:
    responses: int
    satisfied: int
    share: Decimal
    minimum: Decimal
    suspended: bool


@transaction.atomic
def survey_close(*, actor: User, class_id: int) -> SurveyOutcome:
    """§19: below the threshold the institution stops opening classes for the rectification period."""
    require(actor, "survey.close", message="只有人社部门可以汇总满意度调查")
    training_class = access_by_id(actor, _classes().select_for_update(of=("self",)), class_id)
    if training_class.survey_closed_on is not None:
        raise ValidationError(
            f"该班满意度调查已于{training_class.survey_closed_on}汇总，不能重复汇总"
        )
    if training_class.status not in SURVEY_OPEN:
        raise ValidationError("培训开始后才能汇总满意度调查")
    rows = list(
        SurveyResponse.objects.filter(enrolment__training_class=training_class).values_list(
            "satisfied", flat=True
        )
    )
    if not rows:
        raise ValidationError("尚无学员填写满意度调查")
    today = clock.today()
    training_class.survey_closed_on = today
    training_class.save(update_fields=["survey_closed_on"])
    minimum = params.current().value("outcomes.min_satisfaction_share", today)
    share = (Decimal(sum(rows)) / Decimal(len(rows))).quantize(Decimal("0.0001"))
    suspended = share < minimum
    if suspended:
        registry.sanction_suspend_automatic(
            institution=training_class.institution,
            starts_on=today,
            actor=actor,
            reason=f"培训班“{training_class}”满意度{share:.2%}，低于{minimum:.0%}（§19）",
        )
    audit.record(
        actor=actor,
        action="class.survey_close",
        obj=training_class,
        after={"share": share, "suspended": suspended},
    )
    return SurveyOutcome(len(rows), sum(rows), share, minimum, suspended)
