"""Is the job queue being worked? For ``/healthz`` (a pluggable check returning ok, detail)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone


def job_queue_health(*, now: dt.datetime | None = None) -> tuple[bool, dict[str, Any]]:
    """Healthy when a worker has been seen within the stall timeout and no ready job has
    waited longer than ``JOB_QUEUE_MAX_WAIT_SECONDS``."""
    from django.db.models import Q
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    from .models import WorkerBeat

    moment = now or timezone.now()
    cutoff = moment - dt.timedelta(seconds=settings.WORKER_STALL_SECONDS)
    last = WorkerBeat.objects.filter(stopped_at__isnull=True).order_by("-seen_at").first()
    workers = WorkerBeat.objects.filter(seen_at__gte=cutoff, stopped_at__isnull=True).count()
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY).filter(
        Q(run_after=get_date_max()) | Q(run_after__lte=moment)
    )
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    waited = (moment - oldest).total_seconds() if oldest else 0.0
    problems = []
    if not workers:
        problems.append("没有正在运行的工作进程（chizheng worker）")
    if waited > settings.JOB_QUEUE_MAX_WAIT_SECONDS:
        problems.append(f"最早的排队任务已等待 {int(waited)} 秒")
    detail: dict[str, Any] = {
        "workers_alive": workers,
        "last_seen": last.seen_at.isoformat() if last else None,
        "queued": ready.count(),
        "oldest_queued_seconds": round(waited, 1),
        "problems": problems,
    }
    return not problems, detail
