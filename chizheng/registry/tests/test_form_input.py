"""What a page or an import takes in is checked like the API's input: a control character
or a NUL, an over-long text, a number beyond a column, an id beyond the key — a field
error on the form or a bad row of the import, never a 500 and never stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from chizheng.accounts.models import Role, User
from chizheng.api.tests.clients import ApiClient
from chizheng.org.models import County
from chizheng.registry.models import Institution
from chizheng.registry.tests import flow

from .conftest import person_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(make_user: Callable[..., User]) -> ApiClient:
    client = ApiClient()
    client.force_login(make_user(Role.PROGRAMME_OFFICE))
    return client


def _institution(**kw: Any) -> dict[str, Any]:
    return {
        "name": "新华区职业培训学校",
        "credit_code": "91410400MA0000001X",
        "kind": "private_school",
        "county": County.objects.get(code="410402").pk,
        **kw,
    }


def test_a_control_character_in_a_name_is_a_field_error(office: ApiClient) -> None:
    for name in ("学校\x01", "学校\x00", "学校\x1b[31m"):
        r = office.post("/registry/institutions/new/", _institution(name=name))
        assert r.status_code == 200 and "控制字符" in r.content.decode(), name
    assert not Institution.objects.exists()


def test_a_reason_keeps_its_line_breaks_but_not_a_nul(
    office: ApiClient, make_institution: Callable[..., Institution]
) -> None:
    inst = make_institution()
    r = office.post(
        f"/registry/institutions/{inst.pk}/sanctions/new/",
        {"kind": "blacklist", "starts_on": "2022-05-10", "reason": "第一条\n第二条\x00"},
    )
    assert r.status_code == 200 and "控制字符" in r.content.decode()
    r = office.post(
        f"/registry/institutions/{inst.pk}/sanctions/new/",
        {"kind": "blacklist", "starts_on": "2022-05-10", "reason": "第一条\r\n第二条"},
    )
    assert r.status_code == 302


def test_an_id_beyond_the_key_is_an_unknown_choice(office: ApiClient) -> None:
    """(A guard: Django 5 already treats such an id as unknown.)"""
    r = office.post("/registry/institutions/new/", _institution(county=str(2**70)))
    assert r.status_code == 200 and not Institution.objects.exists()
    assert office.get(f"/registry/institutions/{2**70}/").status_code == 404


def test_an_import_cell_with_a_control_character_is_a_bad_row(
    occupations: None,
    make_user: Callable[..., User],
    people_csv: Callable[[list[list[str]]], bytes],
) -> None:
    rows = [person_row(n) for n in range(3)]
    rows[1][0] = "张\x07三"
    job = flow.validate(
        actor=make_user(Role.PROGRAMME_OFFICE),
        kind="people",
        filename="people.csv",
        content=people_csv(rows),
    )
    assert job.bad_rows == 1
    assert "控制字符" in job.errors[0]["reason"]
