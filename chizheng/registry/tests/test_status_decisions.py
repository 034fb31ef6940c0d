"""Finding 3 of issue 11: an institution's filing and catalog status change only through the
city office's declared decisions (a transition row and an audit event each), never through
the generic edit paths — the form, the service, the API or an import."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from chizheng.accounts.models import Role, User
from chizheng.core.errors import DomainError, ValidationError
from chizheng.core.models import AuditEvent
from chizheng.org.models import County
from chizheng.registry import imports, services
from chizheng.registry.models import Institution, InstitutionTransition
from chizheng.registry.tests import flow

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def platform(make_institution: Callable[..., Institution]) -> Institution:
    return make_institution(
        kind=Institution.Kind.PLATFORM,
        catalog_status=Institution.CatalogStatus.LISTED,
        catalog_since=D(2022, 1, 1),
    )


@pytest.fixture
def evaluator(make_institution: Callable[..., Institution]) -> Institution:
    return make_institution(evaluator_kind=Institution.EvaluatorKind.SOCIAL)


@pytest.fixture
def xinhua(make_user: Callable[..., User], county: Callable[[str], County]) -> User:
    return make_user(Role.COUNTY_HR, county=county("410402"))


# --- the generic paths cannot reach them -------------------------------------------------------


def test_a_county_user_cannot_remove_a_platform_through_the_edit_form(
    platform: Institution, xinhua: User
) -> None:
    client = Client()
    client.force_login(xinhua)
    r = client.post(
        f"/registry/institutions/{platform.pk}/edit/",
        {
            "name": platform.name,
            "kind": platform.kind,
            "catalog_status": "removed",
            "catalog_since": "2022-05-01",
            "filing_status": "filed",
            "filed_on": "2022-05-01",
        },
    )
    assert r.status_code == 302
    platform.refresh_from_db()
    assert platform.catalog_status == Institution.CatalogStatus.LISTED
    assert platform.catalog_since == D(2022, 1, 1)
    assert platform.filing_status == ""


@pytest.mark.parametrize(
    "field", ["catalog_status", "catalog_since", "filing_status", "filed_on", "filing_number"]
)
def test_the_update_service_refuses_the_decision_fields(
    platform: Institution, xinhua: User, make_user: Callable[..., User], field: str
) -> None:
    for actor in (xinhua, make_user(Role.PROGRAMME_OFFICE)):  # not even the city office, this way
        with pytest.raises(ValidationError) as refused:
            services.institution_update(actor=actor, institution_id=platform.pk, **{field: ""})
        assert refused.value.code == "status_by_decision"
    platform.refresh_from_db()
    assert platform.catalog_status == Institution.CatalogStatus.LISTED


def test_a_county_user_cannot_file_an_evaluator_at_creation_through_the_api(
    xinhua: User,
) -> None:
    client = Client()
    client.force_login(xinhua)
    r = client.post(
        "/api/v1/institutions",
        {
            "name": "某评价中心",
            "credit_code": "91410400MA0000099A",
            "kind": "evaluator",
            "county": "410402",
            "evaluator_kind": "social",
            "filed_on": "2022-03-01",
            "filing_number": "X-1",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    inst = Institution.objects.get(credit_code="91410400MA0000099A")
    assert (inst.filing_status, inst.filed_on, inst.filing_number) == ("", None, "")


# --- the decisions ---------------------------------------------------------------------------


def test_the_programme_office_removes_and_lists_a_platform(
    platform: Institution, make_user: Callable[..., User], today
) -> None:
    today(D(2022, 6, 1))
    office = make_user(Role.PROGRAMME_OFFICE)
    with pytest.raises(ValidationError):
        services.platform_remove(actor=office, institution_id=platform.pk, reason=" ")
    services.platform_remove(actor=office, institution_id=platform.pk, reason="违规，移出目录")
    platform.refresh_from_db()
    assert platform.catalog_status == Institution.CatalogStatus.REMOVED
    row = InstitutionTransition.objects.get(institution=platform)
    assert (row.name, row.from_status, row.to_status, row.actor) == (
        "catalog_remove",
        "listed",
        "removed",
        office,
    )
    assert row.reason == "违规，移出目录"
    event = AuditEvent.objects.filter(action="institution.catalog_remove").get()
    assert event.before == {"catalog_status": "listed"}
    assert event.after == {"catalog_status": "removed"}

    services.platform_list(
        actor=office, institution_id=platform.pk, since=D(2022, 6, 1), reason="整改完成"
    )
    platform.refresh_from_db()
    assert platform.catalog_status == Institution.CatalogStatus.LISTED
    assert platform.catalog_since == D(2022, 6, 1)
    with pytest.raises(DomainError) as twice:
        services.platform_list(actor=office, institution_id=platform.pk, since=D(2022, 6, 1))
    assert twice.value.code == "transition_refused"


def test_the_programme_office_files_and_revokes_an_evaluator(
    evaluator: Institution, make_institution: Callable[..., Institution], make_user
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    services.institution_file(
        actor=office, institution_id=evaluator.pk, filed_on=D(2022, 3, 1), filing_number="PJ-1"
    )
    evaluator.refresh_from_db()
    assert evaluator.is_filed_evaluator
    assert (evaluator.filed_on, evaluator.filing_number) == (D(2022, 3, 1), "PJ-1")
    services.institution_revoke_filing(actor=office, institution_id=evaluator.pk, reason="撤销")
    evaluator.refresh_from_db()
    assert evaluator.filing_status == Institution.FilingStatus.REVOKED
    assert [t.name for t in InstitutionTransition.objects.filter(institution=evaluator)] == [
        "file",
        "revoke_filing",
    ]
    school = make_institution()  # not an evaluation institution
    with pytest.raises(ValidationError) as refused:
        services.institution_file(actor=office, institution_id=school.pk, filed_on=D(2022, 3, 1))
    assert refused.value.code == "not_evaluator"
    with pytest.raises(ValidationError) as refused:
        services.platform_remove(actor=office, institution_id=school.pk, reason="x")
    assert refused.value.code == "not_platform"


@pytest.mark.parametrize("role", [Role.COUNTY_HR, Role.INDUSTRY, Role.INSTITUTION])
def test_no_other_role_may_decide(
    platform: Institution,
    evaluator: Institution,
    make_user: Callable[..., User],
    county: Callable[[str], County],
    role: str,
) -> None:
    from chizheng.org.models import Department

    scopes: dict[str, dict[str, Any]] = {
        Role.COUNTY_HR: {"county": county("410402")},
        Role.INDUSTRY: {"department": Department.objects.get(code="miit")},
        Role.INSTITUTION: {"institution": platform},
    }
    actor = make_user(role, **scopes[role])
    with pytest.raises(DomainError) as refused:
        services.platform_remove(actor=actor, institution_id=platform.pk, reason="x")
    assert refused.value.code in ("permission_denied", "not_found")
    with pytest.raises(DomainError):
        services.institution_file(actor=actor, institution_id=evaluator.pk, filed_on=D(2022, 3, 1))
    platform.refresh_from_db()
    evaluator.refresh_from_db()
    assert platform.catalog_status == "listed" and evaluator.filing_status == ""
    assert not InstitutionTransition.objects.exists()


# --- the page ----------------------------------------------------------------------------------


def test_the_institution_page_offers_the_decisions_to_the_programme_office_only(
    platform: Institution, xinhua: User, make_user: Callable[..., User]
) -> None:
    office = Client()
    office.force_login(make_user(Role.PROGRAMME_OFFICE))
    page = office.get(f"/registry/institutions/{platform.pk}/").content.decode()
    assert f"/registry/institutions/{platform.pk}/decisions/catalog_remove/" in page
    assert "data-confirm" in page.split("decisions/catalog_remove/")[1].split(">")[0]
    county_page = Client()
    county_page.force_login(xinhua)
    assert (
        "decisions/"
        not in county_page.get(f"/registry/institutions/{platform.pk}/").content.decode()
    )

    r = office.post(
        f"/registry/institutions/{platform.pk}/decisions/catalog_remove/", {"reason": "违规"}
    )
    assert r.status_code == 302
    platform.refresh_from_db()
    assert platform.catalog_status == "removed"
    page = office.get(f"/registry/institutions/{platform.pk}/").content.decode()
    assert "移出目录清单" in page and "违规" in page  # the history of decisions

    refused = county_page.post(
        f"/registry/institutions/{platform.pk}/decisions/catalog_list/",
        {"on": "2022-06-01", "reason": "x"},
    )
    assert refused.status_code in (403, 422)
    platform.refresh_from_db()
    assert platform.catalog_status == "removed"


# --- imports -----------------------------------------------------------------------------------

HEADERS = [
    "机构名称",
    "统一社会信用代码",
    "机构类型",
    "所属县（市、区）",
    "评价机构类别",
    "备案日期",
    "备案编号",
]


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADERS)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


ROW = [
    "乙评价中心",
    "91410400MA0000002B",
    "评价机构",
    "新华区",
    "社会培训评价组织",
    "2022-03-01",
    "PJ-9",
]


def test_a_county_user_cannot_file_through_an_import(occupations: None, xinhua: User) -> None:
    job = flow.validate(actor=xinhua, kind="institutions", filename="i.csv", content=_csv([ROW]))
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "备案日期")]
    assert "市人社局" in job.errors[0]["reason"]
    unfiled = [*ROW[:5], "", ""]
    job = imports.import_file(
        actor=xinhua, kind="institutions", filename="i.csv", content=_csv([unfiled])
    )
    assert job.bad_rows == 0
    assert Institution.objects.get(credit_code=ROW[1]).filing_status == ""


def test_the_programme_office_files_through_an_import_by_the_transition(
    occupations: None, make_user: Callable[..., User], xinhua: User
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    job = imports.import_file(
        actor=office, kind="institutions", filename="i.csv", content=_csv([ROW])
    )
    assert job.bad_rows == 0, job.errors
    inst = Institution.objects.get(credit_code=ROW[1])
    assert inst.is_filed_evaluator and inst.filing_number == "PJ-9"
    row = InstitutionTransition.objects.get(institution=inst)
    assert (row.name, row.actor) == ("file", office)
    assert AuditEvent.objects.filter(action="institution.file", object_id=str(inst.pk)).exists()
    # A county user re-importing the same filing data changes nothing, and is not refused.
    again = imports.import_file(
        actor=xinhua, kind="institutions", filename="i.csv", content=_csv([ROW])
    )
    assert again.bad_rows == 0, again.errors
    assert InstitutionTransition.objects.filter(institution=inst).count() == 1


def test_the_admin_shows_the_decision_fields_read_only(platform: Institution, make_user) -> None:
    staff = make_user(Role.PROGRAMME_OFFICE, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    form = client.get(f"/admin/registry/institution/{platform.pk}/change/").content.decode()
    assert 'name="catalog_status"' not in form and 'name="filing_status"' not in form
    assert 'name="name"' in form
