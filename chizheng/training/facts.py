"""Build the rules engine's facts from the records (set-based: a fixed number of queries per
class, whatever the roster's size)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import cast

from django.db.models import Count, Max, Q, Sum

from chizheng.core.errors import ValidationError
from chizheng.registry.models import (
    CatalogEntry,
    Institution,
    Person,
    Sanction,
    Teacher,
    Workstation,
)
from chizheng.rules import facts as f
from chizheng.rules import params

from .models import Enrolment, FinalAssessment, Mode, SurveyResponse, TrainingClass

# The rules engine knows three kinds of delivery; the form's five modes map onto them.
MODE_TO_DELIVERY: dict[str, f.TrainingMode] = {
    Mode.ENTERPRISE_SELF: "offline",
    Mode.COMMISSIONED: "offline",
    Mode.APPRENTICESHIP: "offline",
    Mode.BLENDED: "blended",
    Mode.ONLINE: "online",
}

# Every occupation of the national classification has skill-level certificates (levels
# 5–1); an application naming another certificate type adds that type.
SKILL_LEVEL_CERTIFICATE: f.CertificateType = "skill_level"


class LevelUnknown(ValidationError):
    code = "class_level_unknown"


def _level(training_class: TrainingClass) -> int | None:
    """The class's skill level as the rules read it: required for a certificate that carries
    one (never guessed), None for one that has none (专项能力, 合格证书 …)."""
    if training_class.skill_level is None and (
        training_class.certificate_type in f.LEVELLED_CERTIFICATES
    ):
        name = f.CERTIFICATE_NAMES.get(training_class.certificate_type, "")
        raise LevelUnknown(
            f"开班申请未填写级别：考核{name}须注明级别（一级至五级），请修改开班申请后再提交",
            message_en=f"class {training_class.pk} leads to a levelled certificate but has no level",
            detail={"field": "skill_level", "class": training_class.pk},
        )
    return training_class.skill_level


def _sanctions(institution: Institution) -> tuple[f.Sanction, ...]:
    out = []
    for s in Sanction.objects.filter(institution=institution, kind__in=["suspension", "blacklist"]):
        ends = (
            s.lifted_on
            if s.lifted_on and (s.ends_on is None or s.lifted_on < s.ends_on)
            else s.ends_on
        )
        until = ends - dt.timedelta(days=1) if ends else None  # registry ends are exclusive
        kind: f.SanctionKind = "suspension" if s.kind == "suspension" else "blacklist"
        out.append(
            f.Sanction(
                kind=kind, valid_from=s.starts_on, until=until, reason=s.reason, clause=s.clause
            )
        )
    return tuple(out)


def _satisfaction(institution: Institution) -> tuple[f.SatisfactionResult, ...]:
    rows = (
        SurveyResponse.objects.filter(enrolment__training_class__institution=institution)
        .values("enrolment__training_class_id")
        .annotate(n=Count("id"), ok=Count("id", filter=Q(satisfied=True)), last=Max("answered_at"))
    )
    return tuple(
        f.SatisfactionResult(
            surveyed_on=r["last"].date(),
            satisfied=r["ok"],
            responses=r["n"],
            class_ref=str(r["enrolment__training_class_id"]),
        )
        for r in rows
    )


def institution_facts(institution: Institution) -> f.Institution:
    catalog = tuple(
        f.CatalogEntry(occupation=e.occupation.code, valid_from=e.valid_from, until=e.valid_until)
        for e in CatalogEntry.objects.filter(institution=institution).select_related("occupation")
    )
    fulltime: dict[str, int] = defaultdict(int)
    for code in Teacher.objects.filter(
        institution=institution, full_time=True, active=True
    ).values_list("occupations__code", flat=True):
        if code:
            fulltime[code] += 1
    return f.Institution(
        code=institution.credit_code,
        name=institution.name,
        catalog=catalog,
        sanctions=_sanctions(institution),
        satisfaction=_satisfaction(institution),
        fulltime_teachers=dict(fulltime),
    )


def platform_facts(platform: Institution | None, on: dt.date) -> f.Platform | None:
    if platform is None:
        return None
    listed = platform.catalog_status == Institution.CatalogStatus.LISTED and (
        platform.catalog_since is None or platform.catalog_since <= on
    )
    bans = Sanction.objects.filter(institution=platform, kind="platform_ban").values_list(
        "starts_on", flat=True
    )
    return f.Platform(code=platform.credit_code, in_catalog=listed, violations=tuple(bans))


def _history(people: list[int], exclude_class: int) -> dict[int, list[f.PriorTraining]]:
    rows = (
        Enrolment.objects.filter(person_id__in=people)
        .exclude(training_class_id=exclude_class)
        .exclude(training_class__status__in=["draft", "withdrawn", "rejected", "returned"])
        .values(
            "person_id",
            "training_class__batch",
            "training_class__start_date",
            "training_class__end_date",
            "training_class__assessment__held_on",
            "training_class__status",
        )
    )
    out: dict[int, list[f.PriorTraining]] = defaultdict(list)
    for r in rows:
        assessed = (
            r["training_class__assessment__held_on"]
            if r["training_class__status"] == "assessed"
            else None
        )
        out[r["person_id"]].append(
            f.PriorTraining(
                class_ref=r["training_class__batch"],
                started_on=r["training_class__start_date"],
                assessed_on=assessed,
                ends_on=r["training_class__end_date"],
            )
        )
    return out


def _trainee(p: Person, history: list[f.PriorTraining], graduation_month: int) -> f.Trainee:
    student = None
    if p.school_id and p.graduation_year and p.major_occupation_id:
        student = f.Student(
            school=p.school.name if p.school else "",
            major=p.major_occupation.name if p.major_occupation else "",
            # the registry keeps the year; the policy says which day of it counts (§19)
            graduation_date=dt.date(p.graduation_year, graduation_month, 1),
            major_occupations=(p.major_occupation.code,) if p.major_occupation else (),
        )
    return f.Trainee(
        ref=f"{p.name}（{p.id_masked}）",
        id_number=p.id_number,
        name=p.name,
        post_occupation=p.post_occupation.code if p.post_occupation else None,
        former_occupation=p.former_occupation.code if p.former_occupation else None,
        student=student,
        history=tuple(history),
    )


def class_application(training_class: TrainingClass) -> f.ClassApplication:
    graduation_month = params.current().value("trainee.graduation_month", training_class.start_date)
    people = list(
        Person.objects.filter(enrolments__training_class=training_class).select_related(
            "post_occupation", "former_occupation", "major_occupation", "school"
        )
    )
    history = _history([p.pk for p in people], training_class.pk)
    workstations = (
        Workstation.objects.filter(
            site__in=training_class.sites.all(), occupation__code=training_class.occupation_code
        ).aggregate(n=Sum("count"))["n"]
        or 0
    )
    apprentices = 0
    if training_class.mode == Mode.APPRENTICESHIP:
        apprentices = (
            Enrolment.objects.filter(
                training_class__institution=training_class.institution,
                training_class__occupation_code=training_class.occupation_code,
                training_class__mode=Mode.APPRENTICESHIP,
            )
            .exclude(training_class__status__in=["withdrawn", "rejected", "assessed"])
            .count()
        )
    available: tuple[f.CertificateType, ...] = (SKILL_LEVEL_CERTIFICATE,)
    if training_class.certificate_type != SKILL_LEVEL_CERTIFICATE:
        available = (*available, cast(f.CertificateType, training_class.certificate_type))
    return f.ClassApplication(
        ref=f"{training_class.batch}",
        institution=institution_facts(training_class.institution),
        occupation=training_class.occupation_code,
        level=_level(training_class),
        start_date=training_class.start_date,
        end_date=training_class.end_date,
        planned_trainees=training_class.planned_count,
        teachers=training_class.teachers.count(),
        workstations=workstations,
        class_hour_minutes=training_class.class_hour_minutes,
        class_hours=training_class.class_hours,
        practical_hours=training_class.practical_hours,
        certificate_type=training_class.certificate_type,  # type: ignore[arg-type]
        certificates_available=available,
        mode=MODE_TO_DELIVERY[training_class.mode],
        online_theory_hours=training_class.online_theory_hours,
        platform=platform_facts(training_class.platform, training_class.start_date),
        apprenticeship=training_class.mode == Mode.APPRENTICESHIP,
        apprentices_in_occupation=apprentices,
        roster=tuple(_trainee(p, history.get(p.pk, []), graduation_month) for p in people),
    )


def assessment_facts(a: FinalAssessment) -> f.Assessment:
    k = a.training_class
    return f.Assessment(
        class_ref=k.batch,
        occupation=k.occupation_code,
        level=_level(k),
        mode=MODE_TO_DELIVERY[k.mode],
        certificate_type=k.certificate_type,  # type: ignore[arg-type]
        certificates_available=(SKILL_LEVEL_CERTIFICATE,),
        registered_on=a.registered_on,
        held_on=a.held_on,
        applied_by=a.applied_by,  # type: ignore[arg-type]
    )
