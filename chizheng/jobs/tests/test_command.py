"""``chizheng worker --once`` runs what is queued (and the night's jobs when it is time)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from chizheng.accounts.models import Role, User
from chizheng.jobs import schedule
from chizheng.jobs.models import Job, JobState, WorkerBeat
from chizheng.jobs.services import job_start

pytestmark = pytest.mark.django_db


def test_worker_once_runs_the_queue_and_the_night(
    test_kinds: None,
    make_user: Callable[..., User],
    settings: object,
    today: Callable[[dt.date], None],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CHIZHENG_ONLINE_DIR", str(tmp_path / "online"))
    settings.NIGHTLY_AT = dt.time(2, 0)  # type: ignore[attr-defined]
    today(dt.date(2022, 5, 10))  # 10:00, after the night's time
    job = job_start(actor=make_user(Role.PROGRAMME_OFFICE), kind="test.counts")
    out = StringIO()
    call_command("worker", "--once", "--worker-id", "cli-test", stdout=out)
    assert f"已执行 {1 + len(schedule.NIGHTLY)} 个任务" in out.getvalue()
    assert Job.objects.get(pk=job.pk).state == JobState.SUCCEEDED
    nightly = Job.objects.filter(idempotency_key__startswith="nightly:")
    assert nightly.count() == len(schedule.NIGHTLY)
    beat = WorkerBeat.objects.get(worker_id="cli-test")
    assert beat.stopped_at is not None  # it said it stopped
