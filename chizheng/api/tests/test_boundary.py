"""Every input is checked at the API's boundary and refused 4xx with ``{code, message,
detail}`` naming the field in Chinese — the server errors (500) fuzzing found, one by one:
negative counts, 2^63, over-long text and NUL reaching the database, a policy date out of
force, ``workdays/add?n=-5``, ``page=2^62``, ``idcheck`` with "²"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from chizheng.accounts.models import Role

pytestmark = pytest.mark.django_db


def refused(r: Any, status: int = 422) -> dict[str, Any]:
    assert r.status_code == status, (r.status_code, r.content[:300])
    body = r.json()
    assert set(body) == {"code", "message", "detail"}
    return body


@pytest.fixture
def office(client: Client, make_user: Callable[..., Any]) -> Client:
    client.force_login(make_user(Role.PROGRAMME_OFFICE))
    return client


def test_a_policy_date_out_of_force_is_the_clients_error(office: Client) -> None:
    body = refused(office.get("/api/v1/policy/parameters?at=2000-01-01"))
    assert body["code"] == "policy_not_in_force" and "2000-01-01" in body["message"]
    assert refused(office.get("/api/v1/policy/parameters?name=no.such"), 404)["code"] == "not_found"


def test_working_days_out_of_range(office: Client) -> None:
    body = refused(office.get("/api/v1/workdays/add?date=2022-05-10&n=-5"))
    assert body["detail"] == [{"field": "n", "reason": "应不小于 0"}]
    refused(office.get("/api/v1/workdays/window?date=2022-05-10&n=0"))
    refused(office.get("/api/v1/workdays/add?date=9999-12-31&n=5"))


def test_page_numbers_and_ids_beyond_any_column(office: Client) -> None:
    body = refused(office.get(f"/api/v1/institutions?page={2**62}"))
    assert body["detail"][0]["field"] == "page" and "请求参数有误" in body["message"]
    refused(office.get("/api/v1/people?page_size=0"))
    refused(office.get(f"/api/v1/institutions/{2**63}"))
    refused(office.get("/api/v1/sanctions/-1"))


def test_nul_and_over_long_text_never_reach_the_database(office: Client) -> None:
    body = refused(office.get("/api/v1/institutions?q=a%00b"))
    assert "控制字符" in body["detail"][0]["reason"]
    refused(office.get("/api/v1/people?q=" + "x" * 101))
    r = office.post(
        "/api/v1/institutions",
        {
            "name": "x" * 101,
            "credit_code": "91410400MA0000001X",
            "kind": "private_school",
            "county": "410402",
        },
        content_type="application/json",
    )
    assert refused(r)["detail"][0] == {"field": "name", "reason": "不能超过 100 个字符"}
    r = office.post(
        "/api/v1/institutions",
        {
            "name": "学校\u0000",
            "credit_code": "91410400MA0000001X",
            "kind": "private_school",
            "county": "410402",
        },
        content_type="application/json",
    )
    assert "控制字符" in refused(r)["detail"][0]["reason"]


def test_counts_are_bounded(
    client: Client, make_user: Callable[..., Any], make_institution: Any
) -> None:
    client.force_login(make_user(Role.INSTITUTION, institution=make_institution()))
    base = {
        "batch": "B1",
        "start_date": "2022-06-01",
        "end_date": "2022-06-20",
        "occupation_code": "6-18-02-05",
        "certificate_type": "skill_level",
        "class_hours": 80,
        "practical_hours": 50,
        "class_hour_minutes": 45,
        "mode": "commissioned",
        "contact_name": "李",
        "contact_phone": "0375-1",
    }
    for planned in (-1, 2**63):
        body = refused(
            client.post("/api/v1/classes", {**base, "planned_count": planned}, "application/json")
        )
        assert body["detail"][0]["field"] == "planned_count"


def test_idcheck_with_a_superscript_digit(office: Client) -> None:
    r = office.post("/api/v1/idcheck", {"number": "11010519491231002²"}, "application/json")
    assert r.status_code == 200 and r.json()["valid"] is False
    r = office.post("/api/v1/idcheck", {"number": "²1010519491231002X"}, "application/json")
    assert r.status_code == 200 and r.json()["valid"] is False


def test_dates_beyond_the_programme_are_refused(office: Client) -> None:
    body = refused(office.get("/api/v1/plan/progress?until=9999-12-31"))
    assert body["detail"][0]["field"] == "until"
    refused(office.get(f"/api/v1/plan/progress?year={2**63}"))


def test_a_body_that_is_not_json(office: Client) -> None:
    body = refused(office.post("/api/v1/idcheck", b"{not json", "application/json"), 400)
    assert body["code"] == "bad_request"
