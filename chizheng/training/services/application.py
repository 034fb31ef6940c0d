"""The application stage (附件2 开班申请): the draft class its institution creates and edits,
its roster, what the modes ask (pure-online occupations §20(3), apprenticeship terms and
contracts, an enterprise centre's conditions §20(1)), the rule check, and the submission
that opens the first review. The office's pure-online list is ``pure_online``'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from chizheng.accounts import reviewers
from chizheng.accounts.access import can
from chizheng.accounts.models import User
from chizheng.core import audit, clock
from chizheng.core.errors import NotFound, PermissionDenied, ValidationError
from chizheng.core.inputs import check_choice
from chizheng.plan.models import Programme
from chizheng.registry import services as registry
from chizheng.registry.models import CertificateType, Institution, Person, Site, Teacher
from chizheng.rules import params
from chizheng.rules.evaluate import Report, evaluate

from .. import facts, workflow
from ..models import ClassTag, Enrolment, Mode, PureOnlineOccupation, Review, TrainingClass
from .common import EDITABLE, RulesFailed, _own_class
from .review import _open_review

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


def _set_tags(training_class: TrainingClass, tags: Sequence[str]) -> list[str]:
    """The class's training projects (``class.programme_tags``, in force at its start),
    checked against its programme, period and level; replaces those it had."""
    from chizheng.rules.programme_tags import tag_problems

    wanted = [str(t).strip() for t in tags if str(t).strip()]
    known = params.current().value("class.programme_tags", training_class.start_date)
    problems = tag_problems(
        wanted,
        known,
        programme=training_class.programme.number if training_class.programme else None,
        start=training_class.start_date,
        end=training_class.end_date,
        skill_level=training_class.skill_level,
    )
    if problems:
        raise ValidationError("；".join(problems), detail={"field": "tags", "problems": problems})
    ClassTag.objects.filter(training_class=training_class).exclude(code__in=wanted).delete()
    have = set(
        ClassTag.objects.filter(training_class=training_class).values_list("code", flat=True)
    )
    ClassTag.objects.bulk_create(
        [ClassTag(training_class=training_class, code=c) for c in wanted if c not in have]
    )
    return wanted


@transaction.atomic
def class_create(
    *,
    actor: User,
    occupation_code: str,
    teacher_ids: Sequence[int] = (),
    site_ids: Sequence[int] = (),
    platform_id: int | None = None,
    tags: Sequence[str] = (),
    **values: Any,
) -> TrainingClass:
    """A draft class application of the actor's institution (附件2 开班申请)."""
    if not can(actor, "class.apply") or actor.institution is None:
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
    kept = _set_tags(training_class, tags)
    audit.record(
        actor=actor,
        action="class.create",
        obj=training_class,
        after={"batch": training_class.batch, "status": training_class.status, "tags": kept},
    )
    return training_class


@transaction.atomic
def class_update(
    *,
    actor: User,
    class_id: int,
    teacher_ids: Sequence[int] | None = None,
    site_ids: Sequence[int] | None = None,
    tags: Sequence[str] | None = None,
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
    old_tags = sorted(training_class.tag_rows.values_list("code", flat=True))
    # the tags are checked again: a change of programme, period or level may undo one
    new_tags = _set_tags(training_class, old_tags if tags is None else tags)
    after = {k: str(getattr(training_class, k)) for k in changes}
    if sorted(new_tags) != old_tags:
        before["tags"], after["tags"] = ",".join(old_tags), ",".join(sorted(new_tags))
    audit.record(actor=actor, action="class.update", obj=training_class, before=before, after=after)
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
    # the roster is part of what a reviewer sees: its size is saved, and the version moves
    training_class.roster_size = Enrolment.objects.filter(training_class=training_class).count()
    training_class.save(update_fields=["roster_size"])
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
                f"职业（工种）{training_class.occupation_name}不在纯线上培训职业清单内（§20(3)：严格控制纯线上培训职业（工种）数量）。"
                "纯线上培训只能开设市人社局“纯线上培训职业清单”中的职业（工种），请改用线上+线下等方式，或请市人社局将该职业列入清单",
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
    """An apprentice's labour contract, entered per roster line while the application may be
    changed; a contract shorter than the minimum is refused here, and again at submission."""
    training_class = _own_class(actor, class_id)
    if training_class.status not in EDITABLE:
        raise workflow.TransitionRefused(
            f"“{training_class.get_status_display()}”状态的申请不能修改名册"
        )
    if training_class.mode != Mode.APPRENTICESHIP:
        raise ValidationError(
            "只有企业新型学徒制培训班需要登记学徒劳动合同", detail={"field": "mode"}
        )
    enrolment = Enrolment.objects.filter(training_class=training_class, person_id=person_id).first()
    if enrolment is None:
        raise NotFound("该人员不在本班名册中", message_en="not on the roster")
    policy = params.current()
    need = policy.value("apprenticeship.min_contract_months", training_class.start_date)
    clause = policy.version("apprenticeship.min_contract_months", training_class.start_date).clause
    if contract_end <= contract_start:
        raise ValidationError("劳动合同终止日期应晚于起始日期", detail={"field": "contract_end"})
    months = _months_between(contract_start, contract_end)
    if months < need:
        raise ValidationError(
            f"学徒须签订{need}个月以上劳动合同，该合同为{months}个月（{clause}）",
            detail={"field": "contract_end", "clause": clause},
        )
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


def class_check(*, training_class: TrainingClass) -> Report:
    """Every applicable rule on the application as it stands, judged on its start date."""
    return evaluate(facts.class_application(training_class), on=training_class.start_date)


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
        if training_class.institution.kind == Institution.Kind.ENTERPRISE_CENTRE:
            registry.ensure_centre_conditions(
                training_class.institution,
                registry.occupation_for_code(training_class.occupation_code),
                training_class.start_date,
                what="提交开班申请",
            )
        reviewers.ensure_reviewers(
            levels={
                "class.review.industry": str(training_class.department),
                "class.review.hr": "人力资源社会保障部门",
            },
            obj=training_class,
            what="开班申请",
        )
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
