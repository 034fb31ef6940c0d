"""/api/v1/competitions/: the same scope as the pages (another county or department gets
nothing, institutions a 403), bad input a 422 naming the field in Chinese, writes through
the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from chizheng.accounts.models import Role, User
from chizheng.competitions.models import Contestant, Event
from chizheng.org.models import Department
from chizheng.registry.models import Person

pytestmark = pytest.mark.django_db

API = "/api/v1/competitions"


@pytest.fixture
def two(
    make_event: Callable[..., Event],
    enter: Callable[..., Contestant],
    make_person: Callable[..., Person],
) -> dict[str, Any]:
    xinhua = make_event(county_code="410402", department="hrss")
    ruzhou = make_event(county_code="410482", department="union")
    return {
        "xinhua": xinhua,
        "ruzhou": ruzhou,
        "a": enter(xinhua, make_person("410402")),
        "b": enter(ruzhou, make_person("410482")),
    }


def _as(client: Any, user: User) -> Any:
    client.force_login(user)
    return client


def test_the_office_lists_reads_and_records(
    client: Any, office: User, two: dict[str, Any], make_person: Callable[..., Person]
) -> None:
    c = _as(client, office)
    listed = c.get(f"{API}/events").json()
    assert listed["count"] == 2
    assert {e["occupations"][0] for e in listed["items"]} == {"6-18-01-01"}
    body = {
        "name": "2022年平顶山市中式烹调师技能竞赛",
        "level": "city",
        "occupations": ["4-03-02-01"],
        "starts_on": "2022-05-06",
        "ends_on": "2022-05-07",
        "place": "平顶山市技师学院",
        "county": "410411",
        "organiser_department": "hrss",
    }
    r = c.post(f"{API}/events", body, content_type="application/json")
    assert r.status_code == 201, r.content
    event_id = r.json()["id"]
    person = make_person("410411")
    r = c.post(
        f"{API}/events/{event_id}/contestants",
        {"name": person.name, "id_number": person.id_number, "occupation": "4-03-02-01"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["id_masked"] == person.id_masked and person.id_number not in r.content.decode()
    cid = r.json()["id"]
    r = c.post(
        f"{API}/contestants/{cid}/result",
        {"rank": 1, "award": "first", "conferred_level": 3, "conferred_on": "2022-05-08"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["certified_on"] == "2022-05-08"
    assert c.get(f"{API}/contestants?certified=true").json()["count"] == 1


def test_bad_input_is_a_422_in_chinese(client: Any, office: User, two: dict[str, Any]) -> None:
    c = _as(client, office)
    base = {
        "name": "赛",
        "level": "city",
        "occupations": ["6-18-01-01"],
        "starts_on": "2022-05-06",
        "ends_on": "2022-05-07",
        "place": "某地",
        "county": "410402",
        "organiser_department": "hrss",
    }
    for change, expect in (
        ({"level": "galaxy"}, "竞赛级别应为"),
        ({"occupations": []}, ""),
        ({"ends_on": "2022-05-01"}, "结束日期不能早于开始日期"),
        ({"county": "999999"}, "请选择本市的举办地县"),
        ({"organiser_department": "nope"}, "主办部门不存在"),
        ({"name": "a\u0000"}, ""),
    ):
        r = c.post(f"{API}/events", {**base, **change}, content_type="application/json")
        assert r.status_code == 422, (change, r.content)
        assert expect in r.json()["message"]
    r = c.post(
        f"{API}/contestants/{two['a'].pk}/result",
        {"award": "gold", "score": "1e9"},
        content_type="application/json",
    )
    assert r.status_code == 422
    assert not Event.objects.filter(name="赛").exists()


def test_a_county_and_a_department_see_only_their_own(
    client: Any, make_user: Callable[..., User], county: Any, two: dict[str, Any]
) -> None:
    c = _as(client, make_user(Role.COUNTY_HR, county=county("410402")))
    assert [e["id"] for e in c.get(f"{API}/events").json()["items"]] == [two["xinhua"].pk]
    assert [x["id"] for x in c.get(f"{API}/contestants").json()["items"]] == [two["a"].pk]
    assert c.get(f"{API}/events/{two['ruzhou'].pk}").status_code == 404
    assert c.get(f"{API}/events/{two['ruzhou'].pk}/contestants").status_code == 404
    r = c.post(
        f"{API}/contestants/{two['b'].pk}/result", {"rank": 1}, content_type="application/json"
    )
    assert r.status_code == 404
    r = c.post(
        f"{API}/contestants/{two['a'].pk}/result", {"rank": 1}, content_type="application/json"
    )
    assert r.status_code == 403
    union = make_user(Role.INDUSTRY, department=Department.objects.get(code="union"))
    c = _as(client, union)
    assert [e["id"] for e in c.get(f"{API}/events").json()["items"]] == [two["ruzhou"].pk]
    assert c.get(f"{API}/events/{two['xinhua'].pk}").status_code == 404


@pytest.mark.parametrize("role", [Role.INSTITUTION, Role.FINANCE, Role.WORKER])
def test_others_get_nothing(
    client: Any,
    make_user: Callable[..., User],
    make_institution: Any,
    make_person: Any,
    two: dict[str, Any],
    role: str,
) -> None:
    scopes: dict[str, dict[str, Any]] = {
        Role.INSTITUTION: {"institution": make_institution()},
        Role.WORKER: {"person": two["a"].person},
    }
    scope = scopes.get(role, {})
    c = _as(client, make_user(role, **scope))
    for url in (
        f"{API}/events",
        f"{API}/events/{two['xinhua'].pk}",
        f"{API}/events/{two['xinhua'].pk}/contestants",
        f"{API}/contestants",
    ):
        assert c.get(url).status_code == 403, url
    r = c.post(
        f"{API}/contestants/{two['a'].pk}/result", {"rank": 1}, content_type="application/json"
    )
    assert r.status_code == 403
    assert Contestant.objects.get(pk=two["a"].pk).rank is None
