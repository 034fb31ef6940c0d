"""The jobs the system runs by itself, and when: the worker enqueues each at its time.

Each periodic job is queued at most once per period: its idempotency key names the period
(``nightly:core.audit_verify:2022-05-10``), and the key is unique, so a second worker, a
restart or a late start the same day finds the job already there. A worker started after
the time runs the day's jobs at once (a missed night is caught up, once).

The day is the system's (``core.clock``), the time of day is real.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from chizheng.core import clock

from .models import Job


@dataclass(frozen=True)
class Periodic:
    kind: str
    priority: int  # higher first: the sweep changes vouchers before the checks read
    why: str


NIGHTLY: tuple[Periodic, ...] = (
    Periodic(
        "subsidy.vouchers_sweep", 30, "过期、未考核作废，已考核的取证待兑付、无证作废（闭环）"
    ),
    Periodic("online.audit", 20, "审计当日前接收的全部线上学习事件并计入系统"),
    Periodic("core.audit_verify", 10, "校验审计日志哈希链"),
    Periodic("plan.tally_check", 0, "核对目标进度统计与证书记录一致"),
    Periodic("supervision.scan", 0, "对本年度全部记录运行监督核查交叉比对，更新核查线索"),
)


def period_key(p: Periodic, day: dt.date) -> str:
    return f"nightly:{p.kind}:{day.isoformat()}"


def due(*, now: dt.datetime | None = None) -> list[tuple[Periodic, str]]:
    moment = timezone.localtime(now or clock.now())
    if moment.time() < settings.NIGHTLY_AT:
        return []
    return [(p, period_key(p, moment.date())) for p in NIGHTLY]


def enqueue_due(*, now: dt.datetime | None = None) -> list[Job]:
    """Queue the periodic jobs whose time has come and that are not queued yet."""
    from .services import job_start

    wanted = due(now=now)
    have = set(
        Job.objects.filter(idempotency_key__in=[key for _, key in wanted]).values_list(
            "idempotency_key", flat=True
        )
    )
    started: list[Job] = []
    for p, key in wanted:
        if key in have:
            continue
        job = job_start(
            actor=None,
            kind=p.kind,
            params={"day": key.rsplit(":", 1)[1]},
            idempotency_key=key,
            priority=p.priority,
        )
        started.append(job)
    return started
