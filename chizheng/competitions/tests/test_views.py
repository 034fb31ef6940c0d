"""/competitions/: the office sees the city's events and contestants, a county bureau those
held in its county, an organising department its own, institutions and trainees nothing —
in every list, page and export; forms refuse bad input in Chinese; the exports escape
formulas and mask ID numbers."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from chizheng.accounts.models import Role, User
from chizheng.competitions.models import Contestant, Event
from chizheng.org.models import Department
from chizheng.registry.models import Person

from .conftest import xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(
    make_event: Callable[..., Event],
    enter: Callable[..., Contestant],
    make_person: Callable[..., Person],
) -> dict[str, Any]:
    xinhua = make_event(county_code="410402", name="新华区车工竞赛", department="hrss")
    ruzhou = make_event(county_code="410482", name='=HYPERLINK("x")汝州', department="union")
    a, b = make_person("410402", name="甲选手"), make_person("410482", name="乙选手")
    return {
        "xinhua": xinhua,
        "ruzhou": ruzhou,
        "a": enter(xinhua, a, award="first", rank=1),
        "b": enter(ruzhou, b),
        "people": (a, b),
    }


def _as(client: Any, user: User) -> Any:
    client.force_login(user)
    return client


def _rows(body: bytes) -> list[tuple[Any, ...]]:
    ws = openpyxl.load_workbook(io.BytesIO(body)).active
    assert ws is not None
    return list(ws.iter_rows(min_row=2, values_only=True))


def _pages(events: dict[str, Any], key: str) -> list[str]:
    e, c = events[key], events["a" if key == "xinhua" else "b"]
    return [
        reverse("competitions:event", args=[e.pk]),
        reverse("competitions:template", args=[e.pk]),
        reverse("competitions:result", args=[c.pk]),
    ]


def test_the_office_sees_every_county(client: Any, office: User, events: dict[str, Any]) -> None:
    c = _as(client, office)
    page = c.get(reverse("competitions:list"))
    assert {e.pk for e in page.context["page"].object_list} == {
        events["xinhua"].pk,
        events["ruzhou"].pk,
    }
    assert len(_rows(c.get(reverse("competitions:contestants") + "?format=xlsx").content)) == 2
    for url in _pages(events, "ruzhou"):
        assert c.get(url).status_code == 200, url


def test_a_county_sees_only_the_events_held_in_it(
    client: Any, make_user: Callable[..., User], county: Any, events: dict[str, Any]
) -> None:
    c = _as(client, make_user(Role.COUNTY_HR, county=county("410402")))
    page = c.get(reverse("competitions:list"))
    assert [e.pk for e in page.context["page"].object_list] == [events["xinhua"].pk]
    assert [r[1] for r in _rows(c.get(reverse("competitions:list") + "?format=xlsx").content)] == [
        "新华区车工竞赛"
    ]
    contestants = c.get(reverse("competitions:contestants"))
    assert [x.pk for x in contestants.context["page"].object_list] == [events["a"].pk]
    rows = _rows(c.get(reverse("competitions:contestants") + "?format=xlsx").content)
    assert [r[2] for r in rows] == ["甲选手"]
    assert c.get(reverse("competitions:event", args=[events["xinhua"].pk])).status_code == 200
    assert c.get(reverse("competitions:event", args=[events["ruzhou"].pk])).status_code == 404
    assert c.get(reverse("competitions:template", args=[events["ruzhou"].pk])).status_code == 404
    # It reads its county's event but records nothing there.
    assert c.get(reverse("competitions:result", args=[events["a"].pk])).status_code == 403
    assert c.get(reverse("competitions:result", args=[events["b"].pk])).status_code == 404
    assert c.get(reverse("competitions:new")).status_code == 403


def test_a_department_sees_only_the_events_it_organised(
    client: Any, make_user: Callable[..., User], events: dict[str, Any]
) -> None:
    union = make_user(Role.INDUSTRY, department=Department.objects.get(code="union"))
    c = _as(client, union)
    page = c.get(reverse("competitions:list"))
    assert [e.pk for e in page.context["page"].object_list] == [events["ruzhou"].pk]
    assert c.get(reverse("competitions:event", args=[events["xinhua"].pk])).status_code == 404
    assert c.get(reverse("competitions:result", args=[events["b"].pk])).status_code == 200
    miit = _as(client, make_user(Role.INDUSTRY, department=Department.objects.get(code="miit")))
    assert not miit.get(reverse("competitions:list")).context["page"].object_list
    assert _rows(miit.get(reverse("competitions:contestants") + "?format=xlsx").content) == []


@pytest.mark.parametrize("role", [Role.INSTITUTION, Role.EVALUATOR, Role.FINANCE, Role.WORKER])
def test_others_get_nothing(
    client: Any,
    make_user: Callable[..., User],
    make_institution: Any,
    make_person: Any,
    events: dict[str, Any],
    role: str,
) -> None:
    scopes: dict[str, dict[str, Any]] = {
        Role.INSTITUTION: {"institution": make_institution()},
        Role.EVALUATOR: {"institution": make_institution()},
        Role.WORKER: {"person": events["people"][0]},
    }
    scope = scopes.get(role, {})
    c = _as(client, make_user(role, **scope))
    for url in (
        reverse("competitions:list"),
        reverse("competitions:list") + "?format=xlsx",
        reverse("competitions:contestants"),
        reverse("competitions:contestants") + "?format=xlsx",
        *_pages(events, "xinhua"),
    ):
        r = c.get(url)
        assert r.status_code in (403, 404), (role, url)
        assert "甲选手" not in r.content.decode(errors="ignore")


def test_filters_from_the_url_and_bad_ones_said(
    client: Any, office: User, events: dict[str, Any]
) -> None:
    c = _as(client, office)
    page = c.get(reverse("competitions:list") + "?county=410482")
    assert [e.pk for e in page.context["page"].object_list] == [events["ruzhou"].pk]
    page = c.get(reverse("competitions:list") + "?q=新华")
    assert [e.pk for e in page.context["page"].object_list] == [events["xinhua"].pk]
    page = c.get(reverse("competitions:contestants") + "?award=first")
    assert [x.pk for x in page.context["page"].object_list] == [events["a"].pk]
    page = c.get(reverse("competitions:list") + "?year=abc&county=999999&level=x&page=zz")
    text = page.content.decode()
    assert page.status_code == 200 and "年度“abc”无效" in text and "未知的县" in text
    assert "未知的竞赛级别" in text
    assert len(page.context["page"].object_list) == 2


def test_the_exports_escape_formulas_and_mask_id_numbers(
    client: Any, office: User, events: dict[str, Any]
) -> None:
    c = _as(client, office)
    names = [r[1] for r in _rows(c.get(reverse("competitions:list") + "?format=xlsx").content)]
    assert '\'=HYPERLINK("x")汝州' in names
    rows = _rows(c.get(reverse("competitions:contestants") + "?format=xlsx").content)
    a, b = events["people"]
    ids = {r[3] for r in rows}
    assert ids == {a.id_masked, b.id_masked} and a.id_number not in ids


def test_the_office_records_an_event_through_the_form(
    client: Any, office: User, occupations: Any, county: Any
) -> None:
    c = _as(client, office)
    hrss = Department.objects.get(code="hrss")
    data = {
        "name": "2022年平顶山市电工职业技能竞赛",
        "level": "city",
        "occupation_codes": "6-29-03-01，6-18-01-01",
        "organiser_department": hrss.pk,
        "starts_on": "2022-04-20",
        "ends_on": "2022-04-19",
        "place": "平顶山技师学院",
        "county": county("410402").pk,
    }
    r = c.post(reverse("competitions:new"), data)
    assert r.status_code == 422 and "结束日期不能早于开始日期" in r.content.decode()
    r = c.post(
        reverse("competitions:new"),
        {**data, "ends_on": "2022-04-21", "occupation_codes": "1-2-3"},
    )
    assert r.status_code == 422 and "不在2022年版职业分类大典" in r.content.decode()
    r = c.post(reverse("competitions:new"), {**data, "ends_on": "2022-04-21", "name": "a\x00b"})
    assert r.status_code == 422
    r = c.post(reverse("competitions:new"), {**data, "ends_on": "2022-04-21"})
    event = Event.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("competitions:event", args=[event.pk])
    assert set(event.occupations.values_list("code", flat=True)) == {"6-29-03-01", "6-18-01-01"}


def test_import_and_results_through_the_event_page(
    client: Any, office: User, events: dict[str, Any], make_person: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = _as(client, office)
    event = events["xinhua"]
    p = make_person("410402", name="丙选手")
    bad = SimpleUploadedFile("选手.xlsx", xlsx([[p.name, "123", "6-18-01-01"]]))
    r = c.post(reverse("competitions:import", args=[event.pk]), {"file": bad})
    assert r.status_code == 422 and "未导入任何选手" in r.content.decode()
    assert 'data-testid="import-errors"' in r.content.decode()
    good = SimpleUploadedFile("选手.xlsx", xlsx([[p.name, p.id_number, "6-18-01-01"]]))
    r = c.post(reverse("competitions:import", args=[event.pk]), {"file": good})
    assert r.status_code == 302
    entry = Contestant.objects.get(event=event, person=p)
    url = reverse("competitions:result", args=[entry.pk])
    r = c.post(url, {"rank": "2", "award": "second", "conferred_level": "4", "conferred_on": ""})
    assert r.status_code == 422 and "晋升等级和晋升日期须同时填写" in r.content.decode()
    r = c.post(
        url,
        {"rank": "2", "award": "second", "conferred_level": "4", "conferred_on": "2022-04-30"},
    )
    assert r.status_code == 302
    entry.refresh_from_db()
    assert (entry.rank, entry.award, entry.conferred_level) == (2, "second", 4)
    assert entry.certified_on is not None
