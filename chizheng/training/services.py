"""Writes of the class lifecycle. Every status change goes through ``workflow.fire``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from chizheng.accounts.access import access_by_id
from chizheng.accounts.models import Role, User
from chizheng.assessment.models import Certificate
from chizheng.assessment.services import certificates_bulk_record
from chizheng.core import audit, clock
from chizheng.core.calendar import calendar
from chizheng.core.errors import DomainError, NotFound, PermissionDenied, ValidationError
from chizheng.core.inputs import check_choice, check_text
from chizheng.core.review import Seen, check_seen
from chizheng.plan.models import Programme
from chizheng.registry import services as registry
from chizheng.registry.models import CertificateType, Institution, Person, Site, SkillLevel, Teacher
from chizheng.rules import params
from chizheng.rules.evaluate import Report, evaluate, evaluate_many

from . import facts, workflow
from .models import (
    AppliedBy,
    AssessmentCount,
    Attendance,
    Enrolment,
    FinalAssessment,
    Inspection,
    Makeup,
    Mode,
    PureOnlineOccupation,
    Review,
    Session,
    Status,
    SurveyResponse,
    TrainingClass,
)


class RulesFailed(DomainError):
    code = "rules_failed"
    http_status = 422


EDITABLE = {Status.DRAFT, Status.RETURNED}
CERTIFICATE_NUMBER_MAX = Certificate._meta.get_field("number").max_length
CLASS_FIELDS = (
    "contact_name",
    "contact_phone",
    "bank_name",
    "bank_account",
    "batch",
    "start_date",
    "end_date",
    "programme_id",
    "skill_level",
    "certificate_type",
    "planned_count",
    "class_hours",
    "practical_hours",
    "online_theory_hours",
    "class_hour_minutes",
    "mode",
    "remote_video",
    "plan_in_system",
    "roster_in_system",
)


def _classes() -> Any:
    return TrainingClass.objects.select_related("institution__county", "department", "platform")


def _own_class(actor: User, class_id: int) -> TrainingClass:
    """A class of the actor's own institution, locked for update."""
    training_class = access_by_id(actor, _classes().select_for_update(of=("self",)), class_id)
    if actor.role != Role.INSTITUTION or training_class.institution_id != actor.institution_id:
        raise PermissionDenied(
            "只有申请机构本身可以进行此操作", message_en="only the applicant may do this"
        )
    return training_class


def _check_fields(values: dict[str, Any]) -> None:
    values.setdefault("online_theory_hours", 0)
    missing = [
        f
        for f in ("start_date", "end_date", "class_hours", "practical_hours", "mode")
        if values.get(f) is None
    ]
    if missing:
        raise ValidationError(
            f"缺少必填项：{'、'.join(missing)}",
            detail=[{"field": f, "reason": "必填"} for f in missing],
        )
    check_choice(values["mode"], Mode, field="mode", label="培训方式")
    check_choice(
        values.get("certificate_type"),
        CertificateType,
        field="certificate_type",
        label="考核证书类型",
    )
    problems = []
    if values["end_date"] < values["start_date"]:
        problems.append(("end_date", "结束时间早于开班时间"))
    if values["practical_hours"] > values["class_hours"]:
        problems.append(("practical_hours", "实操课时超过总课时"))
    if values["practical_hours"] + values["online_theory_hours"] > values["class_hours"]:
        problems.append(("online_theory_hours", "实操课时与线上理论课时之和超过总课时"))
    if values["mode"] in (Mode.BLENDED, Mode.ONLINE) and not values.get("platform"):
        problems.append(("platform", "线上培训须选择线上平台"))
    if values.get("skill_level") is not None and not 1 <= values["skill_level"] <= 5:
        problems.append(("skill_level", "级别应为1–5"))
    if problems:
        raise ValidationError(
            "；".join(p[1] for p in problems),
            message_en="invalid class application",
            detail=[{"field": f, "reason": r} for f, r in problems],
        )


def _resolve(actor: User, institution: Institution, values: dict[str, Any]) -> dict[str, Any]:
    occupation = registry.occupation_for_code(values.pop("occupation_code"))
    values["occupation_code"], values["occupation_name"] = occupation.code, occupation.name
    platform_id = values.pop("platform_id", None)
    values["platform"] = (
        Institution.objects.filter(pk=platform_id, kind=Institution.Kind.PLATFORM).first()
        if platform_id
        else None
    )
    if platform_id and values["platform"] is None:
        raise ValidationError("所选线上平台不存在", detail={"field": "platform_id"})
    programme_id = values.get("programme_id")
    if programme_id and not Programme.objects.filter(pk=programme_id).exists():
        raise ValidationError("所选专项不存在", detail={"field": "programme_id"})
    _check_fields(values)
    return values


def _set_resources(
    training_class: TrainingClass, teacher_ids: Sequence[int], site_ids: Sequence[int]
) -> None:
    teachers = list(
        Teacher.objects.filter(pk__in=teacher_ids, institution=training_class.institution)
    )
    sites = list(Site.objects.filter(pk__in=site_ids, institution=training_class.institution))
    if len(teachers) != len(set(teacher_ids)):
        raise ValidationError("所选师资不属于本机构", detail={"field": "teacher_ids"})
    if len(sites) != len(set(site_ids)):
        raise ValidationError("所选场地不属于本机构", detail={"field": "site_ids"})
    training_class.teachers.set(teachers)
    training_class.sites.set(sites)


@transaction.atomic
def class_create(
    *,
    actor: User,
    occupation_code: str,
    teacher_ids: Sequence[int] = (),
    site_ids: Sequence[int] = (),
    platform_id: int | None = None,
    **values: Any,
) -> TrainingClass:
    """A draft class application of the actor's institution (附件2 开班申请)."""
    if actor.role != Role.INSTITUTION or actor.institution is None:
        raise PermissionDenied(
            "只有培训机构或企业可以申请开班", message_en="only institutions apply"
        )
    institution = actor.institution
    unknown = set(values) - set(CLASS_FIELDS)
    if unknown:
        raise ValidationError(
            f"未知字段：{'、'.join(sorted(unknown))}", detail={"fields": sorted(unknown)}
        )
    if institution.department_id is None:
        raise ValidationError(
            "本机构尚未登记行业主管部门，无法申请开班", detail={"field": "department"}
        )
    data = _resolve(
        actor,
        institution,
        {**values, "occupation_code": occupation_code, "platform_id": platform_id},
    )
    training_class = TrainingClass.objects.create(
        institution=institution, department_id=institution.department_id, created_by=actor, **data
    )
    _set_resources(training_class, teacher_ids, site_ids)
    audit.record(
        actor=actor,
        action="class.create",
        obj=training_class,
        after={"batch": training_class.batch, "status": training_class.status},
    )
    return training_class


@transaction.atomic
def class_update(
    *,
    actor: User,
    class_id: int,
    teacher_ids: Sequence[int] | None = None,
    site_ids: Sequence[int] | None = None,
    **changes: Any,
) -> TrainingClass:
    training_class = _own_class(actor, class_id)
    if training_class.status not in EDITABLE:
        raise workflow.TransitionRefused(
            f"“{training_class.get_status_display()}”状态的申请不能修改"
        )
    current = {f: getattr(training_class, f) for f in CLASS_FIELDS}
    current["occupation_code"] = changes.pop("occupation_code", training_class.occupation_code)
    current["platform_id"] = changes.pop("platform_id", training_class.platform_id)
    unknown = set(changes) - set(CLASS_FIELDS)
    if unknown:
        raise ValidationError(
            f"未知字段：{'、'.join(sorted(unknown))}", detail={"fields": sorted(unknown)}
        )
    data = _resolve(actor, training_class.institution, {**current, **changes})
    before = {k: str(getattr(training_class, k)) for k in changes}
    for k, v in data.items():
        setattr(training_class, k, v)
    training_class.save()
    if teacher_ids is not None or site_ids is not None:
        _set_resources(
            training_class,
            teacher_ids
            if teacher_ids is not None
            else list(training_class.teachers.values_list("pk", flat=True)),
            site_ids
            if site_ids is not None
            else list(training_class.sites.values_list("pk", flat=True)),
        )
    audit.record(
        actor=actor,
        action="class.update",
        obj=training_class,
        before=before,
        after={k: str(getattr(training_class, k)) for k in changes},
    )
    return training_class


@dataclass(frozen=True)
class RosterResult:
    added: int
    already: int
    unknown: list[str]  # masked numbers not in the registry


@transaction.atomic
def roster_add(
    *, actor: User, class_id: int, id_numbers: Iterable[str] = (), person_ids: Iterable[int] = ()
) -> RosterResult:
    """Put people on the roster by ID number or by registry id; one row per person."""
    from chizheng.core import ids
    from chizheng.registry.services import id_index

    training_class = _own_class(actor, class_id)
    if training_class.status not in EDITABLE:
        raise workflow.TransitionRefused(
            f"“{training_class.get_status_display()}”状态的申请不能修改名册"
        )
    wanted: dict[str, str] = {}
    bad = []
    for raw in id_numbers:
        if not raw.strip():
            continue
        check = ids.check(raw)
        if not check.valid:
            bad.append(f"{ids.mask(check.number)}：{check.reason}")
            continue
        wanted[id_index(check.number)] = ids.mask(check.number)
    if bad:
        raise ValidationError(
            "名册中有无效的身份证号码：" + "；".join(bad), detail={"invalid": bad}
        )
    found = dict(Person.objects.filter(id_index__in=wanted).values_list("id_index", "pk"))
    people = set(found.values()) | set(
        Person.objects.filter(pk__in=list(person_ids)).values_list("pk", flat=True)
    )
    existing = set(
        Enrolment.objects.filter(training_class=training_class, person_id__in=people).values_list(
            "person_id", flat=True
        )
    )
    Enrolment.objects.bulk_create(
        [Enrolment(training_class=training_class, person_id=p) for p in sorted(people - existing)]
    )
    training_class.touch()  # the roster is part of what a reviewer sees
    unknown = [m for idx, m in wanted.items() if idx not in found]
    result = RosterResult(added=len(people - existing), already=len(existing), unknown=unknown)
    audit.record(
        actor=actor,
        action="class.roster_add",
        obj=training_class,
        after={"added": result.added, "unknown": unknown},
    )
    return result


def _months_between(a: dt.date, b: dt.date) -> int:
    """Whole months from ``a`` to ``b`` (2022-03-01 → 2023-03-01 is 12)."""
    return (b.year - a.year) * 12 + b.month - a.month - (b.day < a.day)


def _check_mode(training_class: TrainingClass) -> None:
    """What the document asks of the modes it names (§1, §20(3))."""
    policy, on = params.current(), training_class.start_date
    if training_class.mode == Mode.ONLINE:
        allowed = PureOnlineOccupation.objects.filter(
            occupation__code=training_class.occupation_code
        )
        if not any(a.covers(on) for a in allowed):
            raise ValidationError(
                f"职业（工种）{training_class.occupation_name}不在纯线上培训职业清单内（§20(3)：严格控制纯线上培训职业（工种）数量）",
                detail={"field": "mode", "clause": "§20(3)"},
            )
    if training_class.mode != Mode.APPRENTICESHIP:
        return
    months = _months_between(training_class.start_date, training_class.end_date)
    low, high = (policy.value(f"apprenticeship.{n}_training_months", on) for n in ("min", "max"))
    clause = policy.version("apprenticeship.min_training_months", on).clause
    if not low <= months <= high:
        raise ValidationError(
            f"企业新型学徒制培训期限应为{low}至{high}个月，本班为{months}个月（{clause}）",
            detail={"field": "end_date", "clause": clause},
        )
    need = policy.value("apprenticeship.min_contract_months", on)
    short = [
        e.person.name
        for e in training_class.enrolments.select_related("person")
        if not (
            e.contract_start
            and e.contract_end
            and _months_between(e.contract_start, e.contract_end) >= need
        )
    ]
    if short:
        raise ValidationError(
            f"学徒须签订{need}个月以上劳动合同：{'、'.join(short[:10])}{'等' if len(short) > 10 else ''}"
            f"{len(short)}人未登记或不足（{clause}）",
            detail={"field": "roster", "people": short},
        )


@transaction.atomic
def apprentice_contract_set(
    *, actor: User, class_id: int, person_id: int, contract_start: dt.date, contract_end: dt.date
) -> Enrolment:
    training_class = _own_class(actor, class_id)
    if training_class.status not in EDITABLE:
        raise workflow.TransitionRefused(
            f"“{training_class.get_status_display()}”状态的申请不能修改名册"
        )
    enrolment = Enrolment.objects.get(training_class=training_class, person_id=person_id)
    enrolment.contract_start, enrolment.contract_end = contract_start, contract_end
    enrolment.save(update_fields=["contract_start", "contract_end"])
    training_class.touch()
    audit.record(
        actor=actor,
        action="class.apprentice_contract",
        obj=enrolment,
        after={"contract_start": contract_start, "contract_end": contract_end},
    )
    return enrolment


@transaction.atomic
def pure_online_allow(
    *, actor: User, occupation_code: str, valid_from: dt.date, reason: str
) -> PureOnlineOccupation:
    """The city office adds an occupation to the pure-online list (§20(3))."""
    from chizheng.accounts.access import require

    require(actor, "catalog.edit")
    occupation = registry.occupation_for_code(occupation_code)
    item = PureOnlineOccupation.objects.create(
        occupation=occupation, valid_from=valid_from, decided_by=actor, reason=reason.strip()
    )
    audit.record(
        actor=actor,
        action="pure_online.allow",
        obj=item,
        after={"occupation": occupation.code, "from": valid_from},
    )
    return item


def class_check(*, training_class: TrainingClass) -> Report:
    """Every applicable rule on the application as it stands, judged on its start date."""
    return evaluate(facts.class_application(training_class), on=training_class.start_date)


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


def class_submit(*, actor: User, class_id: int) -> Report:
    """Run every rule and keep the decisions for the applicant to see; refuse with all
    failures, or submit the application to its industry department."""
    today = clock.today()
    with transaction.atomic():
        training_class = _own_class(actor, class_id)
        registry.ensure_may_act(
            institution=training_class.institution, action="class.apply", on=today
        )
        if training_class.status not in EDITABLE:
            raise workflow.TransitionRefused(
                f"“{training_class.get_status_display()}”状态的申请不能提交"
            )
        if not training_class.enrolments.exists():
            raise ValidationError("人员名册为空，请先添加参训人员", detail={"field": "roster"})
        _check_mode(training_class)
        report = class_check(training_class=training_class)
        training_class.decisions = [d.as_dict() for d in report.decisions]
        training_class.policy_fingerprint = report.policy
        training_class.save(update_fields=["decisions", "policy_fingerprint"])
    if not report.ok:  # the decisions stay saved: the applicant sees every one
        raise RulesFailed(
            f"有{len(report.failed)}项合规检查未通过，请修改后再提交："
            + "；".join(f"{d.compared}（{d.clause}）" for d in report.failed[:5]),
            message_en=f"{len(report.failed)} rules failed",
            detail=[d.as_dict() for d in report.failed],
        )
    with transaction.atomic():
        training_class = _own_class(actor, class_id)
        training_class.submitted_at = clock.now()
        training_class.save(update_fields=["submitted_at"])
        workflow.fire(training_class, "submit", actor=actor)
        _open_review(training_class, Review.Level.INDUSTRY, Review.Step.FIRST, today)
    return report


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


@transaction.atomic
def class_start(*, actor: User, class_id: int) -> TrainingClass:
    training_class = _own_class(actor, class_id)
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
    if actor.role != Role.INSTITUTION or training_class.institution_id != actor.institution_id:
        raise PermissionDenied("只有培训机构可以登记课程", message_en="only the institution")
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
    if (
        actor.role != Role.INSTITUTION
        or session.training_class.institution_id != actor.institution_id
    ):
        raise PermissionDenied("只有本班的培训机构可以登记签到")
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
    if actor.role not in (Role.COUNTY_HR, Role.PROGRAMME_OFFICE):
        raise PermissionDenied("补课须经培训所在地人力资源社会保障部门同意")
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
    if actor.role not in (Role.INSPECTOR, Role.COUNTY_HR, Role.PROGRAMME_OFFICE):
        raise PermissionDenied("只有检查人员可以登记检查情况")
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
    if actor.role != Role.WORKER or actor.person_id is None:
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
    if actor.role not in (Role.COUNTY_HR, Role.PROGRAMME_OFFICE):
        raise PermissionDenied("只有人社部门可以汇总满意度调查")
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
    """Register the final assessment; refused if fewer than the policy's days ahead (附件2)."""
    check_choice(applied_by, AppliedBy, field="applied_by", label="申请考核方")
    training_class = access_by_id(actor, _classes().select_for_update(of=("self",)), class_id)
    if not (
        (actor.role == Role.INSTITUTION and actor.institution_id == training_class.institution_id)
        or (actor.role == Role.EVALUATOR and actor.institution_id == evaluator_id)
    ):
        raise PermissionDenied("只有申请机构或承担考核的评价机构可以登记考核")
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
    if actor.role != Role.EVALUATOR or actor.institution_id != a.evaluator_id:
        raise PermissionDenied("只有承担考核的评价机构可以录入考核结果")
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

    items: list[Any] = []
    for s in training_class.sessions.all():
        if s.kind == Session.Kind.ONLINE:
            continue
        items.append(
            f.Session(
                class_ref=training_class.batch,
                ref=f"{s.held_on} {s.get_kind_display()}",
                kind=s.kind,  # type: ignore[arg-type]
                held_on=s.held_on,
                class_hours=s.class_hours,
                minutes=s.minutes,
                recorded_minutes=s.recorded_minutes,
                longest_recording_per_class_hour=tuple(s.longest_continuous),
                shows_all_trainees=s.shows_all_trainees,
            )
        )
    inspections = list(training_class.inspections.all())
    opening = next((i.present for i in inspections if i.kind == Inspection.Kind.OPENING), None)
    if opening is not None:
        items.append(
            f.Attendance(
                class_ref=training_class.batch,
                planned_trainees=training_class.planned_count,
                present_at_opening=opening,
                present_at_inspections=tuple(
                    i.present for i in inspections if i.kind == Inspection.Kind.DURING
                ),
            )
        )
    return evaluate_many(items, on=training_class.start_date)
