"""The competitions through the API, under /api/v1/competitions/: the events (filtered,
paged), one event, recording one; an event's contestants, entering one; a contestant's
result and certification. Scoped and permitted as the pages are."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from chizheng.accounts.access import require
from chizheng.accounts.models import User
from chizheng.api.pagination import Page, page_of
from chizheng.api.types import Choice, Day, Id, PageNo, PageSize, Text, Year
from chizheng.registry.models import SkillLevel

from . import selectors, services
from .exports import organiser
from .models import Award, Contestant, Event, Level

router = Router(tags=["competitions"])

Score = Annotated[Decimal, Field(ge=0, max_digits=6, decimal_places=2, allow_inf_nan=False)]
Rank = Annotated[int, Field(ge=1, le=2**15 - 1)]
OccupationCode = Annotated[str, Text(20, min_length=1)]


def _viewer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    require(user, "competition.view", message="无权查看职业技能竞赛")
    return user


class EventOut(Schema):
    id: int
    name: str
    level: str
    occupations: list[str]
    organiser: str
    starts_on: dt.date
    ends_on: dt.date
    place: str
    county: str


def _event(e: Event) -> dict[str, object]:
    return {
        "id": e.pk,
        "name": e.name,
        "level": e.level,
        "occupations": [o.code for o in e.occupations.all()],
        "organiser": organiser(e),
        "starts_on": e.starts_on,
        "ends_on": e.ends_on,
        "place": e.place,
        "county": e.county.code,
    }


class ContestantOut(Schema):
    id: int
    event: int
    name: str
    id_masked: str
    occupation: str
    score: str | None
    rank: int | None
    award: str
    certificate: str | None
    conferred_level: int | None
    conferred_on: dt.date | None
    certified_on: dt.date | None


def _contestant(c: Contestant) -> dict[str, object]:
    return {
        "id": c.pk,
        "event": c.event_id,
        "name": c.person.name,
        "id_masked": c.person.id_masked,
        "occupation": c.occupation.code,
        "score": None if c.score is None else str(c.score),
        "rank": c.rank,
        "award": c.award,
        "certificate": c.certificate.number if c.certificate else None,
        "conferred_level": c.conferred_level,
        "conferred_on": c.conferred_on,
        "certified_on": c.certified_on,
    }


@router.get("/events", response=Page, summary="竞赛赛事列表")
def events(
    request: HttpRequest,
    year: Year | None = None,
    level: Annotated[str, Choice(Level, "竞赛级别", blank=True)] = "",
    county: Annotated[str, Text(12)] = "",
    q: Annotated[str, Text(50)] = "",
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> dict[str, object]:
    qs = selectors.event_list(
        actor=_viewer(request), year=year, level=level, county=county, q=q
    ).prefetch_related("occupations")
    return page_of(qs, page, page_size, _event)


class EventIn(Schema):
    name: Annotated[str, Text.of(Event, "name", min_length=1)]
    level: Annotated[str, Choice(Level, "竞赛级别")]
    occupations: list[OccupationCode] = Field(min_length=1, max_length=200)
    starts_on: Day
    ends_on: Day
    place: Annotated[str, Text.of(Event, "place", min_length=1)]
    county: Annotated[str, Text(12, min_length=1)]  # 区划代码
    organiser_department: Annotated[str, Text(40)] = ""  # the department's code
    organiser_institution: Id | None = None


@router.post("/events", response={201: EventOut}, summary="登记竞赛赛事")
def event_create(request: HttpRequest, body: EventIn) -> Status[dict[str, object]]:
    actor = _viewer(request)
    county = selectors.host_counties(actor=actor).filter(code=body.county).first()
    department_id = None
    if body.organiser_department:
        department = (
            selectors.organiser_departments(actor=actor)
            .filter(code=body.organiser_department)
            .first()
        )
        # An unknown or unseen code names no department the service will find.
        department_id = department.pk if department else 0
    event = services.event_create(
        actor=actor,
        name=body.name,
        level=body.level,
        occupation_codes=body.occupations,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        place=body.place,
        county_id=county.pk if county else 0,
        organiser_department_id=department_id,
        organiser_institution_id=body.organiser_institution,
    )
    return Status(201, _event(event))


@router.get("/events/{event_id}", response=EventOut, summary="竞赛赛事详情")
def event(request: HttpRequest, event_id: Id) -> dict[str, object]:
    return _event(selectors.event_get(actor=_viewer(request), event_id=event_id))


@router.get("/events/{event_id}/contestants", response=Page, summary="赛事的选手")
def event_contestants(
    request: HttpRequest, event_id: Id, page: PageNo = 1, page_size: PageSize = 50
) -> dict[str, object]:
    actor = _viewer(request)
    event = selectors.event_get(actor=actor, event_id=event_id)
    qs = selectors.contestant_list(actor=actor, event_id=event.pk)
    return page_of(qs, page, page_size, _contestant)


class ContestantIn(Schema):
    name: Annotated[str, Text(50, min_length=1)]
    id_number: Annotated[str, Text(18, min_length=15)]
    occupation: OccupationCode
    score: Score | None = None
    rank: Rank | None = None
    award: Annotated[str, Choice(Award, "奖项", blank=True)] = ""


@router.post(
    "/events/{event_id}/contestants", response={201: ContestantOut}, summary="添加竞赛选手"
)
def contestant_add(
    request: HttpRequest, event_id: Id, body: ContestantIn
) -> Status[dict[str, object]]:
    c = services.contestant_add(
        actor=_viewer(request),
        event_id=event_id,
        name=body.name,
        id_number=body.id_number,
        occupation_code=body.occupation,
        score=body.score,
        rank=body.rank,
        award=body.award,
    )
    return Status(201, _contestant(c))


@router.get("/contestants", response=Page, summary="竞赛选手列表")
def contestants(
    request: HttpRequest,
    year: Year | None = None,
    county: Annotated[str, Text(12)] = "",
    certified: bool | None = None,
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> dict[str, object]:
    qs = selectors.contestant_list(
        actor=_viewer(request), year=year, county=county, certified=certified
    )
    return page_of(qs, page, page_size, _contestant)


class ResultIn(Schema):
    score: Score | None = None
    rank: Rank | None = None
    award: Annotated[str, Choice(Award, "奖项", blank=True)] = ""
    certificate_number: Annotated[str, Text(60)] = ""
    conferred_level: Annotated[int, Choice(SkillLevel, "晋升等级")] | None = None
    conferred_on: Day | None = None


@router.post(
    "/contestants/{contestant_id}/result",
    response=ContestantOut,
    summary="登记选手成绩与取证（证书或竞赛获奖晋升等级）",
)
def contestant_result(request: HttpRequest, contestant_id: Id, body: ResultIn) -> dict[str, object]:
    actor = _viewer(request)
    services.contestant_record(
        actor=actor,
        contestant_id=contestant_id,
        score=body.score,
        rank=body.rank,
        award=body.award,
        certificate_number=body.certificate_number,
        conferred_level=body.conferred_level,
        conferred_on=body.conferred_on,
    )
    return _contestant(selectors.contestant_get(actor=actor, contestant_id=contestant_id))
