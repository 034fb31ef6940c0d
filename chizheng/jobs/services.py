"""Writes of the jobs area: starting a job, running it (the worker calls ``execute``),
finishing or failing it, and taking back the jobs of a worker that died.

A job is started inside the caller's transaction, and so is its entry in the queue (the
queue is a table of the same database): both are committed or neither is. Its state
changes only through ``workflow.JOB_FLOW``.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.core.errors import DomainError, ValidationError
from chizheng.org.models import City

from .kinds import KINDS, Outcome
from .models import Job, JobFile, JobLogEntry, JobState, WorkerBeat
from .progress import Progress
from .workflow import JOB_FLOW

logger = logging.getLogger(__name__)


def _city_of(actor: User | None) -> City | None:
    if actor is not None:
        city_id = actor.home_city_id
        return City.objects.filter(pk=city_id).first() if city_id else None
    # The system's own jobs (the nightly ones) belong to the deployment's city.
    return City.objects.order_by("pk").first()


def _log(job: Job, message: str, level: str = JobLogEntry.Level.INFO) -> None:
    JobLogEntry.objects.create(job=job, at=clock.now(), level=level, message=message[:1000])


def _enqueue(job: Job, *, delay_s: float = 0, priority: int = 0) -> None:
    from .tasks import run_job

    run_after = timezone.now() + dt.timedelta(seconds=delay_s) if delay_s else None
    result = run_job.using(priority=priority, run_after=run_after).enqueue(job.pk)
    job.task_id = str(result.id)
    job.save(update_fields=["task_id"])


def job_start(
    *,
    actor: User | None,
    kind: str,
    params: dict[str, Any] | None = None,
    idempotency_key: str = "",
    total: int | None = None,
    priority: int = 0,
) -> Job:
    """Queue a job; the same ``idempotency_key`` twice gives the job of the first call."""
    spec = KINDS.get(kind)
    if spec is None:
        raise ValidationError(f"不支持的任务类型：{kind}", message_en=f"unknown job kind {kind}")
    key = idempotency_key or f"{kind}:{uuid.uuid4()}"
    existing = Job.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                params=params or {},
                idempotency_key=key,
                created_by=actor,
                city=_city_of(actor),
                rows_total=total,
                max_attempts=spec.max_attempts,
                created_at=clock.now(),
            )
            _log(job, f"已加入队列：{spec.label}")
            _enqueue(job, priority=priority)
    except IntegrityError:
        # Another process queued the same work at the same moment (two workers scheduling
        # one night): that job is the one.
        return Job.objects.get(idempotency_key=key)
    return job


# --- running -----------------------------------------------------------------------------


def _claim(job_id: int, worker_id: str) -> Job | None:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state != JobState.QUEUED:
            return None  # already run, or failed meanwhile: nothing to do
        job.attempts += 1
        job.worker_id = worker_id[:64]
        job.started_at = clock.now()
        job.rows_done = 0
        job.save(update_fields=["attempts", "worker_id", "started_at", "rows_done"])
        JOB_FLOW.fire(job, "start", actor=None, reason=f"第{job.attempts}次执行")
        _log(job, f"开始执行（第{job.attempts}次，共可执行{job.max_attempts}次）")
        return job


def _still_mine(job_id: int, worker_id: str, attempt: int) -> Job | None:
    """The job, locked, if this run is still the one in charge of it: a worker taken for
    dead whose job was handed to another must not write its outcome over the new run's."""
    job = Job.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.state != JobState.RUNNING:
        return None
    if job.worker_id != worker_id[:64] or job.attempts != attempt:
        return None
    return job


def execute(*, job_id: int, worker_id: str) -> str:
    """Run one job (the worker's task). Returns the state it ended in."""
    job = _claim(job_id, worker_id)
    if job is None:
        return "skipped"
    spec = KINDS[job.kind]
    attempt = job.attempts
    progress = Progress(job)
    try:
        outcome = spec.run(job, progress)
    except DomainError as e:
        # The job's own refusal (a bad file, data changed): running it again changes nothing.
        progress.flush()
        _fail(job.pk, worker_id, attempt, code=e.code, message=e.message)
        return JobState.FAILED
    except Exception as e:
        progress.flush()
        logger.exception("job %s (%s) raised", job.pk, job.kind)
        return _retry_or_fail(job.pk, worker_id, attempt, problem=type(e).__name__)
    except BaseException:
        # The worker is being stopped in the middle of the job: hand it back at once.
        progress.close()
        _retry_or_fail(job.pk, worker_id, attempt, problem="工作进程被停止", delay_s=0)
        raise
    progress.flush()
    try:
        return _finish(job.pk, worker_id, attempt, outcome)
    except Exception:
        # The work is done but its outcome could not be recorded: the job runs again, and
        # finds its work done (every handler is idempotent).
        logger.exception("job %s (%s): outcome not recorded", job.pk, job.kind)
        return _retry_or_fail(job.pk, worker_id, attempt, problem="结果未能保存")


def _finish(job_id: int, worker_id: str, attempt: int, outcome: Outcome) -> str:
    with transaction.atomic():
        job = _still_mine(job_id, worker_id, attempt)
        if job is None:
            return "superseded"
        job.summary = outcome.summary
        job.message = outcome.message[:500]
        job.finished_at = clock.now()
        if job.rows_total is not None:
            job.rows_done = job.rows_total
        job.save(update_fields=["summary", "message", "finished_at", "rows_done"])
        if outcome.file is not None:
            JobFile.objects.update_or_create(
                job=job,
                defaults={
                    "filename": outcome.file.filename[:200],
                    "content_type": outcome.file.content_type,
                    "size": len(outcome.file.data),
                    "data": outcome.file.data,
                },
            )
        JOB_FLOW.fire(job, "finish", actor=None)
        _log(job, f"已完成：{outcome.message}" if outcome.message else "已完成")
        return JobState.SUCCEEDED


def _fail(job_id: int, worker_id: str, attempt: int, *, code: str, message: str) -> None:
    with transaction.atomic():
        job = _still_mine(job_id, worker_id, attempt)
        if job is None:
            return
        _mark_failed(job, code=code, message=message)


def _mark_failed(job: Job, *, code: str, message: str) -> None:
    job.error_code, job.error_message = code[:60], message[:1000]
    job.finished_at = clock.now()
    job.save(update_fields=["error_code", "error_message", "finished_at"])
    JOB_FLOW.fire(job, "fail", actor=None, reason=message[:200])
    _log(job, f"失败：{message}", JobLogEntry.Level.ERROR)


def _retry_or_fail(
    job_id: int, worker_id: str, attempt: int, *, problem: str, delay_s: float | None = None
) -> str:
    with transaction.atomic():
        job = _still_mine(job_id, worker_id, attempt)
        if job is None:
            return "superseded"
        return _hand_back(job, problem=problem, delay_s=delay_s)


def _hand_back(job: Job, *, problem: str, delay_s: float | None = None) -> str:
    """Queue the job again, or fail it when it has had its attempts (caller holds the lock)."""
    if job.attempts >= job.max_attempts:
        _mark_failed(
            job,
            code="job_crashed",
            message=f"任务执行出错（{problem}），已执行{job.attempts}次仍未成功，请联系系统管理员",
        )
        return JobState.FAILED
    delay = settings.WORKER_RETRY_DELAY_SECONDS * job.attempts if delay_s is None else delay_s
    JOB_FLOW.fire(job, "retry", actor=None, reason=problem)
    _log(
        job,
        f"第{job.attempts}次执行未完成（{problem}），将自动重新执行",
        JobLogEntry.Level.WARNING,
    )
    _enqueue(job, delay_s=delay)
    return JobState.QUEUED


# --- workers -----------------------------------------------------------------------------


def worker_beat(*, worker_id: str, hostname: str = "", pid: int = 0) -> None:
    now = timezone.now()
    updated = WorkerBeat.objects.filter(worker_id=worker_id).update(seen_at=now, stopped_at=None)
    if not updated:
        WorkerBeat.objects.create(
            worker_id=worker_id, hostname=hostname[:200], pid=pid, started_at=now, seen_at=now
        )


def worker_stopped(*, worker_id: str) -> None:
    WorkerBeat.objects.filter(worker_id=worker_id).update(stopped_at=timezone.now())


def recover_stalled(*, now: dt.datetime | None = None) -> list[Job]:
    """Hand back the running jobs of workers that stopped or have been silent too long
    (their process died): each is queued again, or failed once it has had its attempts."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    moment = now or timezone.now()
    cutoff = moment - dt.timedelta(seconds=settings.WORKER_STALL_SECONDS)
    alive = WorkerBeat.objects.filter(seen_at__gte=cutoff, stopped_at__isnull=True)
    candidates = list(
        Job.objects.filter(state=JobState.RUNNING)
        .exclude(worker_id__in=alive.values("worker_id"))
        .values_list("pk", flat=True)
    )
    recovered: list[Job] = []
    for pk in candidates:
        with transaction.atomic():
            job = Job.objects.select_for_update().filter(pk=pk).first()
            if job is None or job.state != JobState.RUNNING:
                continue
            if alive.filter(worker_id=job.worker_id).exists():
                continue  # its worker spoke up meanwhile
            DBTaskResult.objects.filter(id=job.task_id, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=moment,
                exception_class_path="chizheng.jobs.WorkerLost",
                traceback="",
            )
            _hand_back(job, problem=f"工作进程 {job.worker_id or '未知'} 已停止", delay_s=0)
            recovered.append(job)
    return recovered
