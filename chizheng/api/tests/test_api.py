"""The API shell: auth, JSON errors with a stable code, OpenAPI and a local docs page."""

import re

import pytest
from django.test import Client

from chizheng.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_unauthenticated_gets_a_coded_error(client: Client) -> None:
    r = client.get("/api/v1/me")
    assert r.status_code == 401
    assert r.json()["code"] == "unauthenticated"


def test_me(client: Client, make_user, county) -> None:
    client.force_login(make_user(Role.COUNTY_HR, county=county("410402")))
    body = client.get("/api/v1/me").json()
    assert body["role"] == "county_hr" and "新华区" in body["scope"]


def test_validation_errors_name_the_field(client: Client, make_user) -> None:
    client.force_login(make_user())
    r = client.get("/api/v1/workdays/add?date=2022-02-30&n=3")
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "invalid" and "date" in body["message"]


def test_domain_errors_keep_their_code(client: Client, make_user) -> None:
    client.force_login(make_user())
    r = client.get("/api/v1/workdays/add?date=2026-12-25&n=10")
    assert r.status_code == 422
    assert r.json()["code"] == "calendar_unknown"
    assert "2027" in r.json()["message"]


def test_workdays_and_policy(client: Client, make_user) -> None:
    client.force_login(make_user())
    assert client.get("/api/v1/workdays/add?date=2022-09-28&n=10").json() == {"date": "2022-10-17"}
    rows = client.get("/api/v1/policy/parameters?at=2022-06-01&name=class.max_size").json()
    assert rows[0]["value"] == 80 and rows[0]["clause"] == "§20(1)"
    r = client.get("/api/v1/policy/parameters?at=2021-06-01&name=class.max_size")
    assert r.status_code == 422 and r.json()["code"] == "policy_not_in_force"


def test_idcheck_never_echoes_the_full_number(client: Client, make_user) -> None:
    client.force_login(make_user())
    r = client.post(
        "/api/v1/idcheck", {"number": "11010519491231002X"}, content_type="application/json"
    )
    assert r.json() == {"number": "110105********002X", "valid": True, "reason": ""}


def test_openapi_document(client: Client) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["info"]["title"].startswith("持证")
    assert "/api/v1/institutions" in doc["paths"]


def test_docs_page_loads_nothing_from_outside(client: Client, make_user) -> None:
    client.force_login(make_user())
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert not re.search(r"""(src|href)=["']https?://""", html)


def test_a_county_user_gets_nothing_of_another_county(
    client: Client, make_user, make_institution, make_person, county
) -> None:
    other = make_institution("410482")
    mine = make_institution("410402")
    make_person("410482")
    client.force_login(make_user(Role.COUNTY_HR, county=county("410402")))
    listing = client.get("/api/v1/institutions").json()
    assert [i["id"] for i in listing["items"]] == [mine.pk]
    r = client.get(f"/api/v1/institutions/{other.pk}")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert client.get("/api/v1/people").json()["count"] == 0


def test_people_are_masked(client: Client, make_user, make_person) -> None:
    p = make_person("410402")
    client.force_login(make_user())
    item = client.get("/api/v1/people").json()["items"][0]
    assert item["id_number"] == p.id_masked and "*" in item["id_number"]
    assert "*" in item["phone"]
