"""The public catalogs (no sign-in): the year's training catalog, the filed evaluation
institutions with their levels and the catalog's platforms — searchable by institution and
occupation, by county, paged, exported as the page shows them, with nothing personal."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.test import Client

from chizheng.accounts.models import Role, User
from chizheng.registry import services
from chizheng.registry.models import EvaluationScope, Institution, Occupation

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogs(
    occupations: None,
    make_user: Callable[..., User],
    make_institution: Callable[..., Institution],
) -> dict[str, Any]:
    office = make_user(Role.PROGRAMME_OFFICE)
    welder = make_institution("410402", name="新华焊接学校")
    services.catalog_add(
        actor=office,
        institution_id=welder.pk,
        year=2022,
        occupation_code="6-18-02-05",
        valid_from=dt.date(2022, 1, 1),
    )
    make_institution("410482", name="汝州无目录学校")  # no catalog entry: not listed
    evaluator = make_institution(
        "410482",
        name="汝州评价站",
        kind=Institution.Kind.EVALUATOR,
        evaluator_kind=Institution.EvaluatorKind.SOCIAL,
        filing_status=Institution.FilingStatus.FILED,
        filing_number="PJ-001",
        department=None,
    )
    EvaluationScope.objects.create(
        institution=evaluator, occupation=Occupation.objects.get(code="6-18-02-05"), levels=[5, 4]
    )
    make_institution(
        "410482",
        name="撤销备案评价站",
        kind=Institution.Kind.EVALUATOR,
        filing_status=Institution.FilingStatus.REVOKED,
        department=None,
    )
    make_institution(
        "410402",
        name="在线学习平台",
        kind=Institution.Kind.PLATFORM,
        catalog_status=Institution.CatalogStatus.LISTED,
        catalog_since=dt.date(2022, 3, 1),
    )
    make_institution(
        "410402",
        name="移出平台",
        kind=Institution.Kind.PLATFORM,
        catalog_status=Institution.CatalogStatus.REMOVED,
    )
    return {"welder": welder}


def _page(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_training_catalog_lists_the_years_institutions_and_occupations(
    catalogs: dict[str, Any],
) -> None:
    page = _page("/registry/public/catalog/")
    assert "新华焊接学校" in page and "6-18-02-05" in page
    assert "汝州无目录学校" not in page
    assert "焊工" in _page("/registry/public/catalog/?q=焊工")  # by occupation name
    assert "新华焊接学校" not in _page("/registry/public/catalog/?q=汝州")
    assert "新华焊接学校" not in _page("/registry/public/catalog/?county=410482")
    assert "新华焊接学校" in _page("/registry/public/catalog/?county=410402&q=6-18")


def test_evaluators_with_their_levels_and_platforms_in_the_catalog(
    catalogs: dict[str, Any],
) -> None:
    page = _page("/registry/public/catalog/evaluators/")
    assert "汝州评价站" in page and "PJ-001" in page and "五级、四级" in page
    assert "撤销备案评价站" not in page
    page = _page("/registry/public/catalog/platforms/")
    assert "在线学习平台" in page and "2022-03-01" in page and "移出平台" not in page


def test_bad_filters_are_ignored_with_a_message(catalogs: dict[str, Any]) -> None:
    page = _page("/registry/public/catalog/?county=999999&year=abc&q=" + "x" * 51)
    assert "未知的县（市、区）" in page and "该年度没有目录清单" in page
    assert "不超过 50 个字符" in page
    assert "新华焊接学校" in page  # shown unfiltered
    assert Client().get("/registry/public/catalog/people/").status_code == 404


def test_the_export_holds_what_the_page_shows(catalogs: dict[str, Any]) -> None:
    response = Client().get("/registry/public/catalog/?q=焊&format=xlsx")
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][0] == "机构名称" and len(rows) == 2 and rows[1][0] == "新华焊接学校"


def test_the_catalog_pages_carry_nothing_of_a_signed_in_scope(
    catalogs: dict[str, Any], make_user: Callable[..., User], make_person: Callable[..., Any]
) -> None:
    person = make_person("410402", name="王小明", phone="13912345678")
    for which in ("", "evaluators/", "platforms/"):
        page = _page(f"/registry/public/catalog/{which}")
        assert "王小明" not in page and person.id_masked not in page and "13912345678" not in page


def test_the_blacklist_and_the_notices_are_searchable(
    catalogs: dict[str, Any], make_user: Callable[..., User]
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    services.sanction_blacklist(
        actor=office,
        institution_id=catalogs["welder"].pk,
        starts_on=dt.date(2022, 1, 1),
        reason="虚假培训",
    )
    assert "新华焊接学校" in _page("/registry/public/blacklist/?q=新华")
    assert "新华焊接学校" not in _page("/registry/public/blacklist/?q=汝州")
    assert "没有符合“汝州”的机构" in _page("/registry/public/blacklist/?q=汝州")
    assert "没有符合“汝州”的公示" in _page("/notices/?q=汝州")


def test_the_login_page_links_the_catalogs() -> None:
    assert 'href="/registry/public/catalog/"' in _page("/login/")
