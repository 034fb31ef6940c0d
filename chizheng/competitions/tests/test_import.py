"""The contestants of an event from an .xlsx file: every row in, or none — each bad cell,
unregistered person, wrong name, foreign occupation, formula and duplicate reported by row
and column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from chizheng.accounts.models import Role, User
from chizheng.assessment.models import Certificate
from chizheng.competitions import imports
from chizheng.competitions.models import Contestant, Event
from chizheng.core.errors import PermissionDenied, ValidationError
from chizheng.registry.imports import ImportHasErrors
from chizheng.registry.models import Institution, Person

from .conftest import xlsx

pytestmark = pytest.mark.django_db


def _run(actor: User, event: Event, content: bytes, name: str = "选手.xlsx") -> int:
    return imports.contestants_import(
        actor=actor, event_id=event.pk, filename=name, content=content
    )


def test_a_good_file_enters_every_contestant(
    make_event: Callable[..., Event],
    make_person: Callable[..., Person],
    make_institution: Callable[..., Institution],
    office: User,
) -> None:
    event = make_event()
    a, b, c = make_person(), make_person(), make_person()
    Certificate.objects.create(
        person=c,
        number="HN-2022-001",
        occupation_code="6-18-01-02",
        skill_level=3,
        kind="skill_level",
        channel="social",
        issued_on=dt.date(2022, 4, 30),
        county=c.county,
        issuing_institution=make_institution(kind=Institution.Kind.EVALUATOR),
    )
    content = xlsx(
        [
            [a.name, a.id_number, "6-18-01-01", 96.5, 1, "一等奖", ""],
            [b.name, b.id_number.lower(), "6-18-01-01", "", "", "", ""],
            [c.name, c.id_number, "6-18-01-02", "88", 2, "二等奖", "HN-2022-001"],
        ]
    )
    assert _run(office, event, content) == 3
    got = {x.person_id: x for x in Contestant.objects.filter(event=event)}
    assert str(got[a.pk].score) == "96.50" and got[a.pk].award == "first"
    assert got[b.pk].award == "" and got[b.pk].certified_on is None
    assert got[c.pk].certificate is not None and got[c.pk].certified_on == dt.date(2022, 4, 30)


def test_one_bad_row_enters_none_and_every_error_is_reported(
    make_event: Callable[..., Event],
    make_person: Callable[..., Person],
    enter: Callable[..., Contestant],
    office: User,
) -> None:
    event = make_event()
    a, b, entered = make_person(), make_person(), make_person()
    enter(event, entered)
    content = xlsx(
        [
            [a.name, a.id_number, "6-18-01-01", 96, 1, "一等奖", ""],  # good
            ["别人", b.id_number, "6-18-01-01", "", "", "", ""],  # wrong name
            ["张三", "410402199001010019", "6-18-01-01", "", "", "", ""],  # not registered
            [a.name, a.id_number, "6-18-01-01", "", "", "", ""],  # duplicate of row 2
            [entered.name, entered.id_number, "6-18-01-01", "", "", "", ""],  # already in
            [b.name, "12345", "4-03-02-01", "abc", 0, "特等奖", ""],  # four bad cells
            ['=HYPERLINK("x")', b.id_number, "6-18-01-01", "", "", "", ""],  # formula text
        ]
    )
    with pytest.raises(ImportHasErrors) as e:
        _run(office, event, content)
    found = {(r["row"], r["column"]) for r in e.value.detail["errors"]}
    assert {
        (3, "姓名"),
        (4, "身份证号码"),
        (5, "身份证号码"),
        (6, "身份证号码"),
        (7, "身份证号码"),
        (7, "参赛职业编码"),
        (7, "成绩"),
        (7, "名次"),
        (7, "奖项"),
        (8, "姓名"),
    } <= found
    assert (2, "姓名") not in found and (2, "身份证号码") not in found
    assert "未导入任何选手" in e.value.message
    assert Contestant.objects.filter(event=event).count() == 1  # the one entered before


def test_a_file_missing_a_column_or_of_another_type_is_refused(
    make_event: Callable[..., Event], office: User
) -> None:
    event = make_event()
    with pytest.raises(ImportHasErrors) as e:
        _run(office, event, xlsx([["张三", "x"]], headers=("姓名", "身份证号码")))
    assert {r["column"] for r in e.value.detail["errors"]} == {"参赛职业编码"}
    with pytest.raises(ValidationError, match="只支持"):
        _run(office, event, b"hello", name="选手.txt")
    with pytest.raises(ValidationError, match="文件为空"):
        _run(office, event, b"", name="选手.xlsx")


def test_a_county_bureau_imports_nothing(
    make_event: Callable[..., Event],
    make_person: Callable[..., Person],
    make_user: Callable[..., User],
    county: Any,
) -> None:
    event = make_event(county_code="410402")
    bureau = make_user(Role.COUNTY_HR, county=county("410402"))
    a = make_person()
    with pytest.raises(PermissionDenied):
        _run(bureau, event, xlsx([[a.name, a.id_number, "6-18-01-01", "", "", "", ""]]))
    assert not Contestant.objects.exists()
