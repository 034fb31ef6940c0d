"""/healthz: database, disk and job queue, 200 when none fails and 503 otherwise, no sign-in."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client, override_settings

from chizheng.web import health

pytestmark = pytest.mark.django_db


def _get(client: Client) -> tuple[int, dict[str, Any]]:
    r = client.get("/healthz")
    assert r["Content-Type"] == "application/json"
    assert "no-store" in r["Cache-Control"]
    return r.status_code, r.json()


def _worker_seen() -> None:
    from django.utils import timezone

    from chizheng.jobs.models import WorkerBeat

    now = timezone.now()
    WorkerBeat.objects.create(worker_id="w1", started_at=now, seen_at=now)


def test_all_ok_needs_no_sign_in(client: Client) -> None:
    _worker_seen()
    status, body = _get(client)
    assert status == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "disk", "job_queue"}
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["disk"]["ok"] is True
    assert body["checks"]["job_queue"] == {
        "ok": True,
        "detail": "1 worker(s) alive, 0 job(s) queued",
    }


def test_no_worker_is_503(client: Client) -> None:
    status, body = _get(client)
    assert status == 503 and body["status"] == "fail"
    assert body["checks"]["job_queue"]["ok"] is False
    assert "chizheng worker" in body["checks"]["job_queue"]["detail"]


def test_database_down_is_503(client: Client) -> None:
    with mock.patch.object(
        health.connection, "cursor", side_effect=OperationalError("connection refused to db:5432")
    ):
        status, body = _get(client)
    assert status == 503 and body["status"] == "fail"
    assert body["checks"]["database"] == {"ok": False, "detail": "OperationalError"}
    assert "5432" not in str(body)  # the error's text (hosts, names) is not shown unsigned
    assert body["checks"]["disk"]["ok"] is True


def test_low_disk_is_503(client: Client) -> None:
    with override_settings(HEALTH_MIN_FREE_MB=10**12):
        status, body = _get(client)
    assert status == 503 and body["status"] == "fail"
    assert body["checks"]["disk"]["ok"] is False
    assert "minimum 1000000000000 MB" in body["checks"]["disk"]["detail"]


def _queue_down() -> health.Result:
    return health.Result(ok=False, detail="no worker seen for 600 s")


def test_a_plugged_in_check_counts(client: Client) -> None:
    checks = {
        "database": "chizheng.web.health.database",
        "job_queue": "chizheng.web.tests.test_healthz._queue_down",
    }
    with override_settings(HEALTH_CHECKS=checks):
        status, body = _get(client)
    assert status == 503
    assert body["checks"] == {
        "database": {"ok": True, "detail": body["checks"]["database"]["detail"]},
        "job_queue": {"ok": False, "detail": "no worker seen for 600 s"},
    }


def test_it_shows_nobody_anything_of_the_programme(client: Client, make_user) -> None:
    """The same answer signed in or not: no user, scope or record in it, no session made."""
    anonymous = client.get("/healthz")
    assert "sessionid" not in anonymous.cookies
    client.force_login(make_user())
    signed_in = client.get("/healthz")
    assert signed_in.json().keys() == anonymous.json().keys() == {"status", "checks"}
    assert signed_in.json()["checks"].keys() == anonymous.json()["checks"].keys()


def test_only_get(client: Client) -> None:
    assert client.post("/healthz").status_code == 405
