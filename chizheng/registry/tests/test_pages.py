"""The registry pages: lists, details, forms and the import flow, end to end through Django."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chizheng.accounts.models import Role, User
from chizheng.api.tests.clients import ApiClient
from chizheng.jobs.tests.queue import drain
from chizheng.org.models import County
from chizheng.registry.models import (
    CatalogEntry,
    ImportJob,
    Institution,
    Person,
    Sanction,
    Site,
    Teacher,
)

from .conftest import HEADERS, person_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(occupations: None, make_user: Callable[..., User]) -> Client:
    client = ApiClient()
    client.force_login(make_user(Role.PROGRAMME_OFFICE))
    return client


@pytest.mark.parametrize(
    "name",
    [
        "institutions",
        "catalog",
        "teachers",
        "sites",
        "people",
        "sanctions",
        "rosters",
        "occupations",
    ],
)
def test_every_list_page_renders(office: Client, name: str) -> None:
    response = office.get(f"/registry/{name}/")
    assert response.status_code == 200 and "共" in response.content.decode()
    partial = office.get(f"/registry/{name}/?q=x", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "<table" in partial


def test_occupation_search_and_detail(office: Client) -> None:
    page = office.get("/registry/occupations/?q=6-18-02&level=occupation").content.decode()
    assert "机械加工材料切割工" in page
    detail = office.get("/registry/occupations/6-18-02-05/").content.decode()
    assert "机械加工材料切割工" in detail and "6-18-00-00" in detail


def test_forms_register_and_sanction_an_institution(office: Client) -> None:
    response = office.post(
        "/registry/institutions/new/",
        {
            "name": "测试职业培训学校",
            "credit_code": "91410400MA0000077X",
            "kind": "private_school",
            "county": County.objects.get(code="410402").pk,
        },
    )
    inst = Institution.objects.get(credit_code="91410400MA0000077X")
    assert (
        response.status_code == 302 and response["Location"] == f"/registry/institutions/{inst.pk}/"
    )
    office.post(
        f"/registry/institutions/{inst.pk}/catalog/",
        {
            "year": 2022,
            "occupation_code": "6-18-02-05",
            "valid_from": "2022-03-01",
            "source": "annual",
        },
    )
    assert CatalogEntry.objects.filter(institution=inst).count() == 1
    bad = office.post(
        f"/registry/institutions/{inst.pk}/catalog/",
        {
            "year": 2022,
            "occupation_code": "6-18-02-99",
            "valid_from": "2022-03-01",
            "source": "annual",
        },
    )
    assert bad.status_code == 422 and "不在2022年版" in bad.content.decode()
    office.post(
        f"/registry/institutions/{inst.pk}/teachers/new/",
        {
            "name": "李老师",
            "id_number": person_row(1)[1],
            "full_time": "on",
            "occupation_codes": "6-18-02-05",
        },
    )
    assert Teacher.objects.filter(institution=inst).count() == 1
    office.post(f"/registry/institutions/{inst.pk}/sites/new/", {"name": "一号车间"})
    site = Site.objects.get(institution=inst)
    office.post(f"/registry/sites/{site.pk}/", {"occupation_code": "6-18-02-05", "count": 25})
    assert site.workstations.get().count == 25
    office.post(
        f"/registry/institutions/{inst.pk}/sanctions/new/",
        {
            "kind": "suspension",
            "starts_on": "2022-05-10",
            "reason": "满意度80%",
        },
    )
    s = Sanction.objects.get(institution=inst)
    assert office.get(f"/registry/sanctions/{s.pk}/").status_code == 200
    office.post(
        f"/registry/sanctions/{s.pk}/lift/", {"lifted_on": "2022-05-20", "reason": "整改完成"}
    )
    s.refresh_from_db()
    assert s.lifted_on is not None
    page = office.get(f"/registry/institutions/{inst.pk}/").content.decode()
    assert "一号车间" in page and "李老师" in page


def test_register_a_person_with_a_bad_id_shows_the_reason(office: Client) -> None:
    xinhua = County.objects.get(code="410402").pk
    bad = office.post(
        "/registry/people/new/",
        {"name": "张三", "id_number": "410402199001010010", "county": xinhua},
    )
    assert "校验码错误" in bad.content.decode()
    ok = office.post(
        "/registry/people/new/", {"name": "张三", "id_number": person_row(1)[1], "county": xinhua}
    )
    assert ok.status_code == 302 and Person.objects.count() == 1


def _upload(rows: list[list[str]]) -> SimpleUploadedFile:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADERS)
    w.writerows(rows)
    return SimpleUploadedFile("人员.csv", buf.getvalue().encode("utf-8"), content_type="text/csv")


def test_import_flow_lists_errors_then_imports_the_good_rows(office: Client) -> None:
    rows = [person_row(n) for n in range(5)]
    rows[2][1] = "41040219900101001"
    response = office.post("/registry/imports/", {"kind": "people", "file": _upload(rows)})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    waiting = office.get(f"/registry/imports/{job.pk}/").content.decode()
    assert "校验中" in waiting and 'data-testid="job-progress"' in waiting
    drain()  # the worker checks the file
    page = office.get(f"/registry/imports/{job.pk}/").content.decode()
    assert "长度应为18位" in page and "<td>4</td>" in page
    refused = office.post(f"/registry/imports/{job.pk}/").content.decode()
    assert "未导入任何数据" in refused and Person.objects.count() == 0
    writing = office.post(f"/registry/imports/{job.pk}/", {"good_rows_only": "1"}).content.decode()
    assert "导入中" in writing and Person.objects.count() == 0
    drain()  # the worker writes it
    done = office.get(f"/registry/imports/{job.pk}/").content.decode()
    assert Person.objects.count() == 4 and 'data-testid="import-result">已导入：新增 4，' in done
    assert office.get(f"/registry/imports/{job.pk}/errors.xlsx").status_code == 200


def test_templates_download(office: Client) -> None:
    for kind in ("people", "institutions", "teachers", "roster"):
        xlsx = office.get(f"/registry/imports/template/{kind}.xlsx")
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
        assert office.get(f"/registry/imports/template/{kind}.csv").content.startswith(
            b"\xef\xbb\xbf"
        )


def test_api_import_and_confirm(office: Client, make_user: Callable[..., Any]) -> None:
    rows = [person_row(n) for n in range(3)]
    job = office.post("/api/v1/imports", {"kind": "people", "file": _upload(rows)}).json()
    assert job["status"] == "validating" and job["job_id"]
    assert office.get(f"/api/v1/jobs/{job['job_id']}").json()["state"] == "queued"
    drain()
    job = office.get(f"/api/v1/imports/{job['id']}").json()
    assert job["bad_rows"] == 0 and job["status"] == "validated"
    accepted = office.post(
        f"/api/v1/imports/{job['id']}/confirm", {}, content_type="application/json"
    )
    assert accepted.status_code == 202 and accepted.json()["status"] == "importing"
    drain()
    done = office.get(f"/api/v1/imports/{job['id']}").json()
    assert done["status"] == "imported" and done["result"]["created"] == 3
    commit = office.get(f"/api/v1/jobs/{accepted.json()['job_id']}").json()
    assert commit["state"] == "succeeded" and commit["rows_done"] == commit["rows_total"] == 3
    occupation = office.get("/api/v1/occupations/6-18-02-05").json()
    assert occupation == {
        "code": "6-18-02-05",
        "name": "机械加工材料切割工",
        "level": "occupation",
        "parent": "6-18-02-00",
    }


def test_edit_a_person(office: Client, make_institution: Callable[..., Institution]) -> None:
    from chizheng.core.models import AuditEvent

    employer = make_institution(kind=Institution.Kind.EMPLOYER)
    xinhua = County.objects.get(code="410402").pk
    office.post(
        "/registry/people/new/", {"name": "张三", "id_number": person_row(1)[1], "county": xinhua}
    )
    person = Person.objects.get()
    bad = office.post(
        f"/registry/people/{person.pk}/edit/", {"name": "张三", "post_occupation": "9-99-99-99"}
    )
    assert "不在2022年版职业分类大典" in bad.content.decode()
    ok = office.post(
        f"/registry/people/{person.pk}/edit/",
        {
            "name": "张三丰",
            "employer": employer.credit_code,
            "post_occupation": "6-18-02-04",
            "former_occupation": "6-31-01-03",
            "transferred_on": "2022-03-01",
            "key_group": "veteran",
        },
    )
    assert ok.status_code == 302
    person.refresh_from_db()
    assert (
        person.name,
        person.employer,
        person.post_occupation.code if person.post_occupation else "",
    ) == (
        "张三丰",
        employer,
        "6-18-02-04",
    )
    assert person.is_transferred and person.key_group == "veteran"
    assert AuditEvent.objects.filter(action="person.update", object_id=str(person.pk)).exists()
