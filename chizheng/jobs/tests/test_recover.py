"""A worker that dies mid-job: its job is handed back and run again, once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from chizheng.accounts.models import Role, User
from chizheng.jobs.models import JobState, WorkerBeat
from chizheng.jobs.services import job_start, recover_stalled, worker_beat
from chizheng.jobs.worker import Worker

from .queue import drain

pytestmark = pytest.mark.django_db


def _crashed_mid_job(user: User) -> tuple[int, str]:
    """A job claimed and started by worker "dead", which then vanished (kill -9)."""
    job = job_start(actor=user, kind="test.counts", params={"rows": 2})
    dead = Worker(worker_id="dead", beat_thread=False)
    with dead.beat():
        entry = dead.claim()
        assert entry is not None
    from chizheng.jobs.services import _claim

    started = _claim(job.pk, "dead")
    assert started is not None and started.state == JobState.RUNNING
    WorkerBeat.objects.filter(worker_id="dead").update(stopped_at=None)
    return job.pk, job.task_id


def test_the_job_of_a_silent_worker_is_run_again(
    test_kinds: None, make_user: Callable[..., User], settings: object
) -> None:
    from chizheng.jobs.models import Job

    pk, task_id = _crashed_mid_job(make_user(Role.PROGRAMME_OFFICE))
    # Still within the stall timeout: the worker may just be busy.
    assert recover_stalled() == []
    later = timezone.now() + dt.timedelta(seconds=settings.WORKER_STALL_SECONDS + 1)  # type: ignore[attr-defined]
    worker_beat(worker_id="alive")  # another worker, alive
    WorkerBeat.objects.filter(worker_id="alive").update(seen_at=later)
    [recovered] = recover_stalled(now=later)
    assert recovered.pk == pk
    job = Job.objects.get(pk=pk)
    assert job.state == JobState.QUEUED and job.task_id != task_id
    assert DBTaskResult.objects.get(id=task_id).status == TaskResultStatus.FAILED
    assert "工作进程 dead 已停止" in [t.reason for t in job.transitions.all()][-1]
    drain()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.attempts == 2 and job.rows_done == 2


def test_a_stopped_worker_is_not_waited_for(
    test_kinds: None, make_user: Callable[..., User]
) -> None:
    from chizheng.jobs.models import Job

    pk, _ = _crashed_mid_job(make_user(Role.PROGRAMME_OFFICE))
    WorkerBeat.objects.filter(worker_id="dead").update(stopped_at=timezone.now())
    assert [j.pk for j in recover_stalled()] == [pk]
    assert Job.objects.get(pk=pk).state == JobState.QUEUED


def test_a_job_out_of_attempts_fails_when_its_worker_dies(
    test_kinds: None, make_user: Callable[..., User]
) -> None:
    from chizheng.jobs.models import Job

    pk, _ = _crashed_mid_job(make_user(Role.PROGRAMME_OFFICE))
    Job.objects.filter(pk=pk).update(attempts=3)
    WorkerBeat.objects.filter(worker_id="dead").update(stopped_at=timezone.now())
    recover_stalled()
    job = Job.objects.get(pk=pk)
    assert job.state == JobState.FAILED and "已执行3次仍未成功" in job.error_message


def test_a_late_outcome_of_a_replaced_run_is_dropped(
    test_kinds: None, make_user: Callable[..., User]
) -> None:
    """The worker taken for dead was only slow: its finish must not overwrite the new run."""
    from chizheng.jobs.kinds import Outcome
    from chizheng.jobs.models import Job
    from chizheng.jobs.services import _finish

    pk, _ = _crashed_mid_job(make_user(Role.PROGRAMME_OFFICE))
    WorkerBeat.objects.filter(worker_id="dead").update(stopped_at=timezone.now())
    recover_stalled()
    assert _finish(pk, "dead", 1, Outcome(message="迟到的结果")) == "superseded"
    assert Job.objects.get(pk=pk).state == JobState.QUEUED
