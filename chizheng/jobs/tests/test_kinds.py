"""Each kind of job at work through the worker: the nightly ones, the online audit, the
exports. (The import jobs are tested in chizheng/registry/tests/test_import_jobs.py.)"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.test import Client

from chizheng.accounts.models import Role, User
from chizheng.jobs.kinds import KINDS
from chizheng.jobs.models import Job, JobFile, JobState
from chizheng.jobs.services import job_start
from chizheng.org.models import County

from .queue import drain

pytestmark = pytest.mark.django_db


def _run(kind: str, actor: User | None = None, **params: Any) -> Job:
    job = job_start(actor=actor, kind=kind, params=params)
    drain()
    job.refresh_from_db()
    return job


def test_every_kind_names_a_handler_that_exists() -> None:
    from django.utils.module_loading import import_string

    for kind in KINDS.values():
        assert callable(import_string(kind.handler)), kind.name


def test_audit_verify_passes_an_intact_chain_and_names_a_broken_row(city: object) -> None:
    from django.db import connection

    from chizheng.core import audit
    from chizheng.core.models import AuditEvent

    audit.record(actor=None, action="test.one", object_type="t", object_id="1")
    ok = _run("core.audit_verify")
    assert ok.state == JobState.SUCCEEDED and "哈希链无断裂" in ok.message
    assert ok.rows_done == ok.rows_total and ok.rows_total >= 1
    seq = AuditEvent.objects.get(action="test.one").seq
    with connection.cursor() as cursor:  # someone with the database rewrites a row
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER core_auditevent_append_only")
        cursor.execute("UPDATE core_auditevent SET reason = 'x' WHERE seq = %s", [seq])
    broken = _run("core.audit_verify")
    assert broken.state == JobState.FAILED and broken.error_code == "audit_chain_broken"
    assert f"第{seq}条" in broken.error_message


def test_vouchers_sweep_job_closes_the_loop_once(city: object) -> None:
    from chizheng.subsidy import services as subsidy

    first = _run("subsidy.vouchers_sweep", day="2022-05-10")
    assert first.state == JobState.SUCCEEDED and first.message.startswith("处理电子培训券")
    assert subsidy.vouchers_sweep(on=dt.date(2022, 5, 10)) == 0  # nothing left to move


def test_tally_check_job_finds_a_stale_tally(city: object) -> None:
    from chizheng.plan.models import CertificateTally, Plan
    from chizheng.plan.services import PINGDINGSHAN_2022, plan_load

    plan_load(path=PINGDINGSHAN_2022)
    ok = _run("plan.tally_check")
    assert ok.state == JobState.SUCCEEDED and "2022" in ok.message
    county = County.objects.first()
    assert county is not None
    CertificateTally.objects.create(
        year=Plan.objects.get().year, month=3, county=county, counter="certificates", count=7
    )
    stale = _run("plan.tally_check")
    assert stale.state == JobState.FAILED and stale.error_code == "plan_tally_mismatch"
    assert "chizheng plan refresh --year 2022" in stale.error_message


def test_online_audit_job_without_events_says_so(
    city: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHIZHENG_ONLINE_DIR", str(tmp_path / "empty"))
    job = _run("online.audit")
    assert job.state == JobState.SUCCEEDED and job.message == "尚无已接收的线上学习事件，无需审计"


def test_a_long_registry_export_becomes_a_job_with_the_file(
    make_user: Callable[..., User], make_person: Callable[..., Any], settings: Any
) -> None:
    settings.EXPORT_DIRECT_MAX_ROWS = 2
    xinhua = make_user(Role.COUNTY_HR, county=County.objects.get(code="410402"))
    for _ in range(3):
        make_person("410402")
    make_person("410482")  # another county's: not in the file
    c = Client()
    c.force_login(xinhua)
    response = c.get("/registry/people/export.xlsx")
    assert response.status_code == 302
    job = Job.objects.get(kind="registry.export")
    assert response["Location"] == f"/jobs/{job.pk}/"
    drain()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and (job.rows_done, job.rows_total) == (3, 3)
    ws = openpyxl.load_workbook(io.BytesIO(bytes(JobFile.objects.get(job=job).data))).active
    assert ws is not None
    rows = list(ws.values)
    assert len(rows) == 4 and all("*" in str(r[1]) for r in rows[1:])  # ID numbers masked
    short = c.get("/registry/people/export.xlsx?q=nobody")  # a short list: at once
    assert short.status_code == 200 and short.content[:2] == b"PK"
    api = c.get("/api/v1/exports/people.xlsx")
    assert api.status_code == 202 and api.json()["state"] == "queued"


def test_a_long_class_export_becomes_a_job(make_user: Callable[..., User], settings: Any) -> None:
    settings.EXPORT_DIRECT_MAX_ROWS = -1  # every list is "long"
    office = make_user(Role.PROGRAMME_OFFICE)
    c = Client()
    c.force_login(office)
    response = c.get("/classes/?format=xlsx&status=draft")
    assert response.status_code == 302
    job = Job.objects.get(kind="training.export")
    assert job.params == {"filters": {"status": "draft"}}
    drain()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and JobFile.objects.filter(job=job).exists()
