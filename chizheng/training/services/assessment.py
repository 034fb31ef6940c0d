"""The assessment stage (附件2 结业考核): who may assess (§21), registering the final
assessment, recording its results and certificates, and the evidence report of the
sessions and inspections (§19, §21).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from chizheng.accounts.access import access_by_id, require
from chizheng.accounts.models import User
from chizheng.assessment import certificate_mix
from chizheng.assessment.models import Certificate
from chizheng.assessment.services import certificates_bulk_record
from chizheng.core import clock
from chizheng.core.errors import NotFound, ValidationError
from chizheng.core.inputs import check_choice, check_text
from chizheng.registry import services as registry
from chizheng.registry.models import CertificateType, Institution, Person, SkillLevel
from chizheng.rules.evaluate import Report, evaluate, evaluate_many

from .. import facts, workflow
from ..models import AppliedBy, AssessmentCount, FinalAssessment, Inspection, TrainingClass
from .common import RulesFailed, _classes

CERTIFICATE_NUMBER_MAX = Certificate._meta.get_field("number").max_length


def _evaluator_may_assess(training_class: TrainingClass, evaluator: Institution) -> None:
    """§21: an evaluator of another county only where the class's county has none for the occupation."""

    def filed(qs: Any) -> Any:
        return qs.filter(
            evaluation_scopes__occupation__code=training_class.occupation_code,
            filing_status=Institution.FilingStatus.FILED,
        )

    if not filed(Institution.objects.filter(pk=evaluator.pk)).exists():
        raise ValidationError(
            f"{evaluator.name}未备案该职业（工种）的评价资质", detail={"field": "evaluator_id"}
        )
    if (
        evaluator.county_id != training_class.institution.county_id
        and filed(
            Institution.objects.filter(county_id=training_class.institution.county_id)
        ).exists()
    ):
        raise ValidationError(
            "本地已有具备条件的评价机构，不需跨地域评价（§21）", detail={"field": "evaluator_id"}
        )


@transaction.atomic
def assessment_register(
    *,
    actor: User,
    class_id: int,
    evaluator_id: int,
    held_on: dt.date,
    applied_by: str = "institution",
) -> FinalAssessment:
    """Register the final assessment; refused if fewer than the policy's days ahead (附件2).
    The §19 certificate-mix watch is stored with it, the class's roster projected when its
    certificate is a capped kind: a warning for the reviewers, not a refusal."""
    check_choice(applied_by, AppliedBy, field="applied_by", label="申请考核方")
    training_class = access_by_id(actor, _classes().select_for_update(of=("self",)), class_id)
    # The table grants it over the assessment: its class's institution, or its evaluator.
    require(
        actor,
        "assessment.register",
        FinalAssessment(training_class=training_class, evaluator_id=evaluator_id),
        message="只有申请机构或承担考核的评价机构可以登记考核",
    )
    evaluator = Institution.objects.filter(
        pk=evaluator_id, filing_status=Institution.FilingStatus.FILED
    ).first()
    if evaluator is None:
        raise NotFound("评价机构不存在或未备案", detail={"field": "evaluator_id"})
    registry.ensure_may_act(institution=evaluator, action="assessment.record")
    _evaluator_may_assess(training_class, evaluator)
    a = FinalAssessment(
        training_class=training_class,
        evaluator=evaluator,
        registered_on=clock.today(),
        held_on=held_on,
        applied_by=applied_by,
    )
    report = evaluate(facts.assessment_facts(a), on=a.registered_on)
    if not report.ok:
        raise RulesFailed(
            "；".join(f"{d.compared}（{d.clause}）。{d.remedy}" for d in report.failed),
            detail=[d.as_dict() for d in report.failed],
        )
    a.certificate_mix = certificate_mix.watch(
        training_class.institution,
        on=a.registered_on,
        projection=certificate_mix.Projection(
            kind=training_class.certificate_type
            if training_class.certificate_type in certificate_mix.CAPPED
            else "",
            count=training_class.enrolments.count()
            if training_class.certificate_type in certificate_mix.CAPPED
            else 0,
        ),
    )
    FinalAssessment.objects.filter(training_class=training_class).delete()
    a.save()
    workflow.fire(training_class, "register_assessment", actor=actor, reason=f"考核日期 {held_on}")
    return a


@dataclass(frozen=True)
class CertificateIn:
    person_id: int
    number: str
    certificate_type: str
    skill_level: int | None
    issued_on: dt.date


@transaction.atomic
def results_record(
    *,
    actor: User,
    class_id: int,
    counts: dict[str, tuple[int, int]],
    certificates: Sequence[CertificateIn],
) -> FinalAssessment:
    """Results per assessment type (参加人数, 取证人数) and each certificate (附件2 结业考核)."""
    training_class = access_by_id(actor, _classes().select_for_update(of=("self",)), class_id)
    a = FinalAssessment.objects.select_related("evaluator").get(training_class=training_class)
    require(actor, "assessment.record", a, message="只有承担考核的评价机构可以录入考核结果")
    if clock.today() < a.held_on:
        raise ValidationError(f"考核日期为{a.held_on}，尚未考核")
    for t in counts:
        check_choice(t, CertificateType, field="certificate_type", label="证书类型")
    for taking, certified in counts.values():
        if taking < 0 or certified < 0:
            raise ValidationError("参加考核人数和取证人数不能为负数", detail={"field": "counts"})
    for c in certificates:
        check_choice(
            c.certificate_type, CertificateType, field="certificate_type", label="证书类型"
        )
        if c.skill_level is not None:
            check_choice(c.skill_level, SkillLevel, field="skill_level", label="等级")
        check_text(c.number, field="number", label="证书编号", max_length=CERTIFICATE_NUMBER_MAX)
    enrolled = set(training_class.enrolments.values_list("person_id", flat=True))
    problems = []
    for t, (taking, certified) in counts.items():
        given = sum(1 for c in certificates if c.certificate_type == t)
        if certified > taking:
            problems.append(f"{t}：取证人数{certified}超过参加人数{taking}")
        if given != certified:
            problems.append(f"{t}：取证人数{certified}与录入的证书数{given}不符")
    if sum(t for t, _ in counts.values()) > len(enrolled):
        problems.append("参加考核人数超过名册人数")
    strangers = {c.person_id for c in certificates} - enrolled
    if strangers:
        problems.append(f"{len(strangers)}张证书的持证人不在本班名册中")
    if problems:
        raise ValidationError("；".join(problems), detail={"problems": problems})
    AssessmentCount.objects.bulk_create(
        [
            AssessmentCount(assessment=a, certificate_type=t, taking=n, certified=c)
            for t, (n, c) in counts.items()
        ]
    )
    channel = (
        Certificate.Channel.SCHOOL
        if training_class.institution.is_school
        else Certificate.Channel.ENTERPRISE
        if training_class.institution.kind in ("enterprise_centre", "employer")
        else Certificate.Channel.SOCIAL
    )
    people = Person.objects.in_bulk([c.person_id for c in certificates])
    # The one bulk path of the assessment app: it keeps the first-of-year marks and the
    # plan's monthly tally in step.
    certificates_bulk_record(
        certificates=[
            Certificate(
                person_id=c.person_id,
                number=c.number,
                occupation_code=training_class.occupation_code,
                skill_level=c.skill_level,
                kind=c.certificate_type,
                channel=channel,
                issued_on=c.issued_on,
                county_id=people[c.person_id].county_id,
                issuing_institution=a.evaluator,
                training_class=training_class,
            )
            for c in certificates
        ]
    )
    a.results_entered_on = clock.today()
    a.save(update_fields=["results_entered_on"])
    workflow.fire(
        training_class, "record_results", actor=actor, reason=f"取证 {len(certificates)} 人"
    )
    return a


def evidence_report(*, training_class: TrainingClass) -> Report:
    """Recording and attendance evidence of the class's sessions and inspections (§19, §21)."""
    from chizheng.rules import facts as f

    items: list[Any] = facts.session_facts(training_class, list(training_class.sessions.all()))
    inspections = list(training_class.inspections.all())
    opening = next((i for i in inspections if i.kind == Inspection.Kind.OPENING), None)
    during = [i for i in inspections if i.kind == Inspection.Kind.DURING]
    if opening is not None:
        items.append(
            f.Attendance(
                class_ref=training_class.batch,
                planned_trainees=training_class.planned_count,
                present_at_opening=opening.present,
                present_at_inspections=tuple(i.present for i in during),
                signed_in_at_opening=opening.signed_in,
                signed_in_at_inspections=tuple(i.signed_in for i in during),
            )
        )
    return evaluate_many(items, on=training_class.start_date)
