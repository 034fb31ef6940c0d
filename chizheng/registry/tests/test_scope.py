"""A county user neither lists, exports nor fetches by id another county's records — UI and API."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.test import Client

from chizheng.accounts.models import Role, User
from chizheng.api.tests.clients import ApiClient
from chizheng.registry import services
from chizheng.registry.models import Institution, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(
    occupations: None,
    make_user: Callable[..., User],
    make_institution: Callable[..., Institution],
    make_person: Callable[..., Person],
) -> dict[str, Any]:
    """Two counties, each with an institution, a teacher, a site, a catalog entry, a sanction and a person."""
    office = make_user(Role.PROGRAMME_OFFICE)
    out: dict[str, Any] = {"office": office}
    for code, tag in (("410402", "mine"), ("410482", "other")):
        inst = make_institution(code, name=f"{tag}机构")
        teacher = services.teacher_add(
            actor=office,
            institution_id=inst.pk,
            name=f"{tag}老师",
            full_time=True,
            id_number=_id(code, 7),
            occupation_codes=["6-18-02-05"],
        )
        site = services.site_add(actor=office, institution_id=inst.pk, name=f"{tag}场地")
        services.workstation_set(
            actor=office, site_id=site.pk, occupation_code="6-18-02-05", count=20
        )
        services.catalog_add(
            actor=office,
            institution_id=inst.pk,
            year=2022,
            occupation_code="6-18-02-05",
            valid_from=dt.date(2022, 1, 1),
        )
        sanction = services.sanction_suspend(
            actor=office,
            institution_id=inst.pk,
            starts_on=dt.date(2022, 5, 1),
            reason=f"{tag}满意度低",
        )
        person = make_person(code, name=f"{tag}人员")
        out[tag] = {
            "institution": inst,
            "teacher": teacher,
            "site": site,
            "sanction": sanction,
            "person": person,
        }
    return out


def _id(county: str, n: int) -> str:
    from chizheng.core import ids

    return ids.make(county, dt.date(1980, 1, 1), n)


@pytest.fixture
def xinhua(
    world: dict[str, Any], make_user: Callable[..., User], county: Callable[..., Any]
) -> Client:
    user = make_user(Role.COUNTY_HR, county=county("410402"))
    client = ApiClient()
    client.force_login(user)
    return client


LISTS = ["institutions", "teachers", "sites", "catalog", "sanctions", "people"]


@pytest.mark.parametrize("name", LISTS)
def test_ui_list_shows_only_his_county(xinhua: Client, name: str) -> None:
    page = xinhua.get(f"/registry/{name}/").content.decode()
    assert "mine" in page and "other" not in page


@pytest.mark.parametrize("name", LISTS)
def test_ui_export_holds_only_his_county(xinhua: Client, name: str) -> None:
    response = xinhua.get(f"/registry/{name}/export.xlsx")
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    assert "mine" in text and "other" not in text


def test_ui_export_masks_id_numbers(xinhua: Client, world: dict[str, Any]) -> None:
    person = world["mine"]["person"]
    full = Person.objects.get(pk=person.pk).id_number
    body = xinhua.get("/registry/people/export.xlsx").content
    ws = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]
    cells = [str(c.value) for row in ws.iter_rows() for c in row]
    assert person.id_masked in cells and full not in cells


@pytest.mark.parametrize(
    "path, key",
    [
        ("/registry/institutions/{}/", "institution"),
        ("/registry/teachers/{}/", "teacher"),
        ("/registry/sites/{}/", "site"),
        ("/registry/sanctions/{}/", "sanction"),
        ("/registry/people/{}/", "person"),
    ],
)
def test_ui_detail_of_another_county_is_not_found(
    xinhua: Client, world: dict[str, Any], path: str, key: str
) -> None:
    assert xinhua.get(path.format(world["mine"][key].pk)).status_code == 200
    assert xinhua.get(path.format(world["other"][key].pk)).status_code == 404


@pytest.mark.parametrize(
    "name", ["institutions", "teachers", "sites", "catalog", "sanctions", "people"]
)
def test_api_list_shows_only_his_county(xinhua: Client, name: str) -> None:
    body = xinhua.get(f"/api/v1/{name}").json()
    assert body["count"] >= 1
    assert "other" not in str(body)


@pytest.mark.parametrize(
    "path, key",
    [
        ("/api/v1/institutions/{}", "institution"),
        ("/api/v1/teachers/{}", "teacher"),
        ("/api/v1/sites/{}", "site"),
        ("/api/v1/sanctions/{}", "sanction"),
        ("/api/v1/people/{}", "person"),
        ("/api/v1/institutions/{}/sanctions/active", "institution"),
    ],
)
def test_api_fetch_by_id_of_another_county_is_not_found(
    xinhua: Client, world: dict[str, Any], path: str, key: str
) -> None:
    assert xinhua.get(path.format(world["mine"][key].pk)).status_code == 200
    other = xinhua.get(path.format(world["other"][key].pk))
    assert other.status_code == 404 and other.json()["code"] == "not_found"


@pytest.mark.parametrize("name", LISTS)
def test_api_export_holds_only_his_county(xinhua: Client, name: str) -> None:
    response = xinhua.get(f"/api/v1/exports/{name}.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    assert "mine" in text and "other" not in text


def test_api_people_are_masked(xinhua: Client, world: dict[str, Any]) -> None:
    body = xinhua.get(f"/api/v1/people/{world['mine']['person'].pk}").json()
    assert "*" in body["id_number"] and "*" in body["phone"]


def test_an_institution_user_sees_only_his_institution(
    world: dict[str, Any], make_user: Callable[..., User]
) -> None:
    user = make_user(Role.INSTITUTION, institution=world["mine"]["institution"])
    client = ApiClient()
    client.force_login(user)
    assert "mine机构" in client.get("/registry/institutions/").content.decode()
    assert (
        client.get(f"/registry/institutions/{world['other']['institution'].pk}/").status_code == 404
    )
    assert client.get("/api/v1/teachers").json()["count"] == 1
    assert client.get("/api/v1/people").json()["count"] == 0  # people are county records


def test_the_public_blacklist_shows_no_personal_data(
    world: dict[str, Any], make_user: Callable[..., User]
) -> None:
    services.sanction_blacklist(
        actor=world["office"],
        institution_id=world["other"]["institution"].pk,
        starts_on=dt.date(2022, 1, 1),
        reason="违规",
    )
    page = ApiClient().get("/registry/public/blacklist/").content.decode()
    assert "other机构" in page and "mine机构" not in page
