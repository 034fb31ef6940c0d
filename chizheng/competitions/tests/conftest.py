"""Fixtures of the competitions tests: a few occupations, the office, events and contestants
recorded through the services, and a contestants file."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest

from chizheng.accounts.models import Role, User
from chizheng.competitions import services
from chizheng.competitions.models import Contestant, Event
from chizheng.org.models import City, Department
from chizheng.registry.models import Occupation, Person

OCCUPATIONS = {
    "6-18-01-01": "车工",
    "6-18-01-02": "铣工",
    "6-29-03-01": "电工",
    "4-03-02-01": "中式烹调师",
}


@pytest.fixture
def occupations(city: City) -> dict[str, Occupation]:
    return {
        code: Occupation.objects.get_or_create(
            code=code, defaults={"name": name, "level": Occupation.Level.OCCUPATION}
        )[0]
        for code, name in OCCUPATIONS.items()
    }


@pytest.fixture
def office(make_user: Callable[..., User]) -> User:
    return make_user(Role.PROGRAMME_OFFICE)


@pytest.fixture
def make_event(
    office: User, occupations: dict[str, Occupation], county: Any
) -> Callable[..., Event]:
    def make(
        *,
        county_code: str = "410402",
        codes: tuple[str, ...] = ("6-18-01-01", "6-18-01-02"),
        starts_on: dt.date = dt.date(2022, 4, 12),
        department: str = "hrss",
        actor: User | None = None,
        **kw: Any,
    ) -> Event:
        return services.event_create(
            actor=actor or office,
            name=kw.pop("name", f"2022年车铣工技能竞赛 {county_code} {starts_on}"),
            level=kw.pop("level", "city"),
            occupation_codes=codes,
            starts_on=starts_on,
            ends_on=kw.pop("ends_on", starts_on + dt.timedelta(days=1)),
            place=kw.pop("place", "平顶山技师学院"),
            county_id=county(county_code).pk,
            organiser_department_id=Department.objects.get(code=department).pk,
        )

    return make


@pytest.fixture
def enter(office: User) -> Callable[..., Contestant]:
    def add(event: Event, person: Person, code: str = "6-18-01-01", **kw: Any) -> Contestant:
        return services.contestant_add(
            actor=kw.pop("actor", office),
            event_id=event.pk,
            name=person.name,
            id_number=person.id_number,
            occupation_code=code,
            **kw,
        )

    return add


def xlsx(rows: list[list[Any]], headers: tuple[str, ...] | None = None) -> bytes:
    """A contestants file as a user would fill in the template."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(
        list(
            headers or ("姓名*", "身份证号码*", "参赛职业编码*", "成绩", "名次", "奖项", "证书编号")
        )
    )
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
