"""Writes of the competitions area, each checked, in a transaction and audited: an event
recorded, a contestant entered (one, or a whole file: ``imports``), his result, and his
certification through the competition (a certificate of his linked, or a skill level the
competition conferred). Who may: the permission table's ``competition.record`` — the city
office over the city's events, an organising department over its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction

from chizheng.accounts.access import access_by_id, require
from chizheng.accounts.models import User
from chizheng.assessment.models import Certificate
from chizheng.core import audit, clock, inputs
from chizheng.core.errors import ValidationError
from chizheng.org.models import County, Department
from chizheng.registry.models import Institution, Occupation, Person, SkillLevel
from chizheng.registry.selectors import id_index

from .models import Award, Contestant, Event, Level

# §11 counts contestants who obtained a 职业资格 or 职业技能等级 certificate.
CERTIFYING_KINDS = (Certificate.Kind.VOCATIONAL_QUALIFICATION, Certificate.Kind.SKILL_LEVEL)
MAX_SCORE = Decimal("9999.99")  # the column's range (6 digits, 2 after the point)
MAX_RANK = 2**15 - 1  # PostgreSQL smallint


def _refuse(message: str, field: str, en: str) -> ValidationError:
    return ValidationError(message, message_en=en, detail={"field": field})


def _required_text(value: str, *, field: str, label: str, max_length: int) -> str:
    value = inputs.check_text(value or "", field=field, label=label, max_length=max_length)
    if not value.strip():
        raise _refuse(f"请填写{label}", field, f"{field} is required")
    return value.strip()


def occupations_by_code(codes: Iterable[str]) -> list[Occupation]:
    """The occupations (细类) with these codes, each once; an unknown code is refused."""
    wanted = list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
    if not wanted:
        raise _refuse("请至少选择一个竞赛职业（工种）", "occupations", "no occupation")
    found = {
        o.code: o
        for o in Occupation.objects.filter(
            code__in=wanted, level=Occupation.Level.OCCUPATION, active=True
        )
    }
    missing = [c for c in wanted if c not in found]
    if missing:
        raise ValidationError(
            f"职业编码“{'、'.join(m[:20] for m in missing[:5])}”不在2022年版职业分类大典的职业（细类）中",
            message_en="unknown occupation code",
            detail={"field": "occupations", "codes": [m[:20] for m in missing[:20]]},
        )
    return [found[c] for c in wanted]


def _city_id(actor: User) -> int:
    city_id = actor.home_city_id
    if city_id is None:
        raise _refuse("您的账户未关联所属市", "county", "actor has no city")
    return city_id


@transaction.atomic
def event_create(
    *,
    actor: User,
    name: str,
    level: str,
    occupation_codes: Iterable[str],
    starts_on: dt.date,
    ends_on: dt.date,
    place: str,
    county_id: int,
    organiser_department_id: int | None = None,
    organiser_institution_id: int | None = None,
) -> Event:
    """Record an event; the city office for any organiser of the city, a department for its
    own events."""
    require(actor, "competition.record", message="您的角色无权登记竞赛赛事")
    name = _required_text(name, field="name", label="赛事名称", max_length=100)
    place = _required_text(place, field="place", label="举办地点", max_length=200)
    inputs.check_choice(level, Level, field="level", label="竞赛级别")
    if ends_on < starts_on:
        raise _refuse("结束日期不能早于开始日期", "ends_on", "ends before it starts")
    city_id = _city_id(actor)
    county = County.objects.filter(pk=county_id, city_id=city_id).first()
    if county is None:
        raise _refuse("请选择本市的举办地县（市、区）", "county", "county not of the city")
    if (organiser_department_id is None) == (organiser_institution_id is None):
        raise _refuse(
            "请选择主办部门或承办机构（二者选一）", "organiser", "one organiser is required"
        )
    department = institution = None
    if organiser_department_id is not None:
        department = Department.objects.filter(pk=organiser_department_id, city_id=city_id).first()
        if department is None:
            raise _refuse("主办部门不存在", "organiser_department", "unknown department")
    elif organiser_institution_id is not None:
        institution = Institution.objects.filter(
            pk=organiser_institution_id, county__city_id=city_id
        ).first()
        if institution is None:
            raise _refuse("承办机构不存在", "organiser_institution", "unknown institution")
    occupations = occupations_by_code(occupation_codes)
    event = Event(
        name=name,
        level=level,
        starts_on=starts_on,
        ends_on=ends_on,
        place=place,
        county=county,
        organiser_department=department,
        organiser_institution=institution,
        created_by=actor,
    )
    require(
        actor,
        "competition.record",
        event,
        message="只能登记本部门主办的赛事（城市办公室可登记全市赛事）",
    )
    event.save()
    event.occupations.set(occupations)
    audit.record(
        actor=actor,
        action="competition.event.create",
        obj=event,
        after={
            "name": name,
            "level": level,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "county": county.code,
            "occupations": [o.code for o in occupations],
        },
    )
    return event


def own_event(actor: User, event_id: int) -> Event:
    """The event, locked, if the actor sees it and may record for it."""
    event = access_by_id(actor, Event.objects.select_for_update(of=("self",)), event_id)
    require(actor, "competition.record", event, message="无权登记该赛事的选手和成绩")
    return event


def _own_contestant(actor: User, contestant_id: int) -> Contestant:
    contestant = access_by_id(
        actor,
        Contestant.objects.select_for_update(of=("self",)).select_related("event", "person"),
        contestant_id,
    )
    require(actor, "competition.record", contestant.event, message="无权登记该赛事的成绩")
    return contestant


def check_result(
    *, score: Decimal | None, rank: int | None, award: str
) -> tuple[Decimal | None, int | None, str]:
    if score is not None and not (Decimal(0) <= score <= MAX_SCORE):
        raise _refuse(f"成绩应在0至{MAX_SCORE}之间", "score", "score out of range")
    if rank is not None and not 1 <= rank <= MAX_RANK:
        raise _refuse(f"名次应在1至{MAX_RANK}之间", "rank", "rank out of range")
    inputs.check_choice(award or "", Award, field="award", label="奖项", blank=True)
    return score, rank, award or ""


@transaction.atomic
def contestant_add(
    *,
    actor: User,
    event_id: int,
    name: str,
    id_number: str,
    occupation_code: str,
    score: Decimal | None = None,
    rank: int | None = None,
    award: str = "",
) -> Contestant:
    """Enter one person of the registry (found by his ID number, his name must match) in one
    of the event's occupations."""
    event = own_event(actor, event_id)
    name = _required_text(name, field="name", label="姓名", max_length=50)
    number = inputs.check_text(id_number or "", field="id_number", label="身份证号码")
    person = Person.objects.filter(id_index=id_index(number)).first() if number.strip() else None
    if person is None:
        raise _refuse(
            "该身份证号码未在实名库登记，请先在基础名录中登记人员", "id_number", "not registered"
        )
    if person.name != name:
        raise _refuse("姓名与实名库登记的不一致", "name", "name differs from the registry")
    occupation = event.occupations.filter(code=occupation_code.strip()).first()
    if occupation is None:
        raise _refuse("参赛职业不是本赛事的竞赛职业（工种）", "occupation", "not of the event")
    score, rank, award = check_result(score=score, rank=rank, award=award)
    if Contestant.objects.filter(event=event, person=person).exists():
        raise _refuse("该选手已在本赛事的选手名单中", "id_number", "already entered")
    contestant = Contestant.objects.create(
        event=event, person=person, occupation=occupation, score=score, rank=rank, award=award
    )
    audit.record(
        actor=actor,
        action="competition.contestant.add",
        obj=contestant,
        after={"event": event.pk, "person": person.id_masked, "occupation": occupation.code},
    )
    return contestant


@transaction.atomic
def contestant_result(
    *,
    actor: User,
    contestant_id: int,
    score: Decimal | None,
    rank: int | None,
    award: str,
) -> Contestant:
    """Record (or correct) a contestant's score, rank and award."""
    contestant = _own_contestant(actor, contestant_id)
    score, rank, award = check_result(score=score, rank=rank, award=award)
    before = {"score": contestant.score, "rank": contestant.rank, "award": contestant.award}
    if not award and contestant.conferred_level is not None:
        raise _refuse(
            "该选手已因获奖晋升等级，请先撤销晋升等级再取消奖项", "award", "conferral stands"
        )
    contestant.score, contestant.rank, contestant.award = score, rank, award
    contestant.save(update_fields=["score", "rank", "award"])
    audit.record(
        actor=actor,
        action="competition.contestant.result",
        obj=contestant,
        before=before,
        after={"score": score, "rank": rank, "award": award},
    )
    return contestant


def _certified_on(certificate: Certificate | None, conferred_on: dt.date | None) -> dt.date | None:
    days = [d for d in (certificate.issued_on if certificate else None, conferred_on) if d]
    return min(days) if days else None


@transaction.atomic
def contestant_certify(
    *,
    actor: User,
    contestant_id: int,
    certificate_number: str = "",
    conferred_level: int | None = None,
    conferred_on: dt.date | None = None,
) -> Contestant:
    """Record how the competition certified the contestant: a 职业资格 or 职业技能等级
    certificate of his (by its number) obtained through it, and/or the skill level it
    conferred on an award winner (竞赛获奖晋升等级, §11). Blank both to withdraw."""
    contestant = _own_contestant(actor, contestant_id)
    event = contestant.event
    number = inputs.check_text(
        certificate_number or "", field="certificate", label="证书编号", max_length=60
    ).strip()
    certificate = None
    if number:
        certificate = (
            Certificate.objects.filter(person_id=contestant.person_id, number=number)
            .order_by("-issued_on")
            .first()
        )
        if certificate is None:
            raise _refuse("该选手名下没有这个编号的证书", "certificate", "no such certificate")
        if certificate.kind not in CERTIFYING_KINDS:
            raise _refuse(
                "只有职业资格证书或职业技能等级证书计入竞赛选手取证",
                "certificate",
                "not a certifying kind",
            )
        if certificate.issued_on < event.starts_on:
            raise _refuse(
                "该证书早于赛事开始日期取得，不是通过竞赛取得的", "certificate", "before the event"
            )
    if (conferred_level is None) != (conferred_on is None):
        raise _refuse("晋升等级和晋升日期须同时填写", "conferred_level", "level and date together")
    if conferred_level is not None and conferred_on is not None:
        inputs.check_choice(conferred_level, SkillLevel, field="conferred_level", label="晋升等级")
        if not contestant.award:
            raise _refuse(
                "只有获奖选手可以竞赛获奖晋升等级，请先登记奖项", "conferred_level", "no award"
            )
        if conferred_on < event.ends_on:
            raise _refuse("晋升日期不能早于赛事结束日期", "conferred_on", "before the event ends")
        if conferred_on > clock.today():
            raise _refuse("晋升日期不能晚于今天", "conferred_on", "in the future")
    before = {
        "certificate": contestant.certificate_id,
        "conferred_level": contestant.conferred_level,
        "conferred_on": contestant.conferred_on,
    }
    contestant.certificate = certificate
    contestant.conferred_level = conferred_level
    contestant.conferred_on = conferred_on
    contestant.certified_on = _certified_on(certificate, conferred_on)
    contestant.save(
        update_fields=["certificate", "conferred_level", "conferred_on", "certified_on"]
    )
    audit.record(
        actor=actor,
        action="competition.contestant.certify",
        obj=contestant,
        before=before,
        after={
            "certificate": certificate.pk if certificate else None,
            "conferred_level": conferred_level,
            "conferred_on": conferred_on,
        },
    )
    return contestant


@transaction.atomic
def contestant_record(
    *,
    actor: User,
    contestant_id: int,
    score: Decimal | None,
    rank: int | None,
    award: str,
    certificate_number: str = "",
    conferred_level: int | None = None,
    conferred_on: dt.date | None = None,
) -> Contestant:
    """A contestant's result and certification together (the result page): both or neither.
    A conferral withdrawn goes first, so that its award may go with it."""

    def certify() -> Contestant:
        return contestant_certify(
            actor=actor,
            contestant_id=contestant_id,
            certificate_number=certificate_number,
            conferred_level=conferred_level,
            conferred_on=conferred_on,
        )

    def result() -> Contestant:
        return contestant_result(
            actor=actor, contestant_id=contestant_id, score=score, rank=rank, award=award
        )

    if conferred_level is None:
        certify()
        return result()
    result()
    return certify()
