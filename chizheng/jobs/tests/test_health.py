"""The job queue's health check (for /healthz): a worker seen lately, no job waiting long."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from chizheng.accounts.models import Role, User
from chizheng.jobs.health import job_queue_health
from chizheng.jobs.models import WorkerBeat
from chizheng.jobs.services import job_start, worker_beat

pytestmark = pytest.mark.django_db


def test_no_worker_is_unhealthy() -> None:
    ok, detail = job_queue_health()
    assert not ok and detail["workers_alive"] == 0
    assert "没有正在运行的工作进程" in detail["problems"][0]


def test_a_live_worker_and_an_empty_queue_are_healthy() -> None:
    worker_beat(worker_id="w")
    ok, detail = job_queue_health()
    assert ok and detail["workers_alive"] == 1 and detail["queued"] == 0


def test_a_job_waiting_too_long_is_unhealthy(
    test_kinds: None, make_user: Callable[..., User], settings: object
) -> None:
    worker_beat(worker_id="w")
    job = job_start(actor=make_user(Role.PROGRAMME_OFFICE), kind="test.counts")
    waited = settings.JOB_QUEUE_MAX_WAIT_SECONDS + 60  # type: ignore[attr-defined]
    DBTaskResult.objects.filter(id=job.task_id).update(
        enqueued_at=timezone.now() - dt.timedelta(seconds=waited)
    )
    ok, detail = job_queue_health()
    assert not ok and detail["queued"] == 1 and detail["oldest_queued_seconds"] >= waited
    assert "最早的排队任务已等待" in detail["problems"][0]


def test_a_silent_worker_does_not_count(settings: object) -> None:
    worker_beat(worker_id="w")
    silent = settings.WORKER_STALL_SECONDS + 1  # type: ignore[attr-defined]
    WorkerBeat.objects.update(seen_at=timezone.now() - dt.timedelta(seconds=silent))
    ok, detail = job_queue_health()
    assert not ok and detail["workers_alive"] == 0
