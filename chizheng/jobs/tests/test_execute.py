"""Running a job: done, refused (no retry), crashed (retried, then failed), interrupted."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django_tasks_db.models import DBTaskResult

from chizheng.accounts.models import Role, User
from chizheng.core.models import AuditEvent
from chizheng.jobs.models import Job, JobFile, JobState
from chizheng.jobs.services import job_start
from chizheng.jobs.worker import Worker

from . import handlers
from .queue import drain

pytestmark = pytest.mark.django_db


def test_a_job_runs_to_the_end_with_its_file_and_log(
    test_kinds: None, make_user: Callable[..., User]
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    job = job_start(actor=office, kind="test.counts", params={"rows": 5})
    assert drain() == 1
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.attempts == 1
    assert (job.rows_done, job.rows_total) == (5, 5) and job.percent == 100
    assert job.message == "数了 5 行" and job.summary == {"rows": 5}
    assert bytes(JobFile.objects.get(job=job).data) == "好".encode()
    assert [t.name for t in job.transitions.all()] == ["start", "finish"]
    assert "已数完" in [line.message for line in job.log.all()]
    assert AuditEvent.objects.filter(action="job.finish", object_id=str(job.pk)).exists()
    assert job.worker_id == "test-worker"
    assert drain() == 0  # nothing left: it ran once


def test_a_refusal_fails_the_job_in_chinese_without_retry(
    test_kinds: None, make_user: Callable[..., User]
) -> None:
    job = job_start(actor=make_user(Role.PROGRAMME_OFFICE), kind="test.refuses")
    drain()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.attempts == 1
    assert (job.error_code, job.error_message) == ("bad_file", "文件第3行身份证号码错误")
    assert drain() == 0


def test_a_crash_is_retried_then_failed_without_personal_data(
    test_kinds: None, make_user: Callable[..., User]
) -> None:
    job = job_start(actor=make_user(Role.PROGRAMME_OFFICE), kind="test.crashes")
    drain()  # the first attempt crashes, the job is queued again (no delay in tests) ...
    job.refresh_from_db()
    assert handlers.SEEN == [1, 2]  # ... and the drain ran the second attempt too
    assert job.state == JobState.FAILED and job.attempts == 2
    assert job.error_code == "job_crashed" and "已执行2次仍未成功" in job.error_message
    assert "410402199001010019" not in job.error_message  # the exception's text is not shown
    assert [t.name for t in job.transitions.all()] == ["start", "retry", "start", "fail"]
    assert DBTaskResult.objects.count() == 2  # one queue entry per attempt


def test_a_job_that_crashed_once_succeeds_on_its_retry(
    test_kinds: None, make_user: Callable[..., User]
) -> None:
    job = job_start(actor=make_user(Role.PROGRAMME_OFFICE), kind="test.crashes_once")
    drain()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.attempts == 2 and handlers.SEEN == [1, 2]
    warnings = [line.message for line in job.log.filter(level="warning")]
    assert warnings == ["第1次执行未完成（RuntimeError），将自动重新执行"]


def test_a_stopped_worker_hands_its_job_back_at_once(
    test_kinds: None, make_user: Callable[..., User]
) -> None:
    job = job_start(actor=make_user(Role.PROGRAMME_OFFICE), kind="test.interrupted")
    worker = Worker(worker_id="w1", beat_thread=False)
    worker.run_once()  # the interrupt is caught by the queue's own runner
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.attempts == 1
    assert [t.reason for t in job.transitions.all()][-1] == "工作进程被停止"


def test_an_entry_run_twice_runs_the_job_once(
    test_kinds: None, make_user: Callable[..., User]
) -> None:
    from chizheng.jobs.services import execute

    job = job_start(actor=make_user(Role.PROGRAMME_OFFICE), kind="test.counts")
    assert execute(job_id=job.pk, worker_id="a") == JobState.SUCCEEDED
    assert execute(job_id=job.pk, worker_id="b") == "skipped"
    assert Job.objects.get(pk=job.pk).attempts == 1
