"""The health checks behind ``/healthz``: each a function returning a ``Result``.

``settings.HEALTH_CHECKS`` names them (name -> dotted path), so another part of the system
plugs its own in by one line there. ``ok`` is True (healthy), False (unhealthy: the answer
is 503) or None (not configured: reported, not failing).
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Result:
    ok: bool | None
    detail: str


Check = Callable[[], Result]


def database() -> Result:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return Result(ok=True, detail=connection.vendor)


def disk() -> Result:
    """Free space of the file system that holds the var directory (database, uploads, events)."""
    where = Path(settings.VAR_DIR)
    while not where.exists():  # before the first start creates it: the disk it will be on
        where = where.parent
    free_mb = shutil.disk_usage(where).free // 2**20
    minimum = settings.HEALTH_MIN_FREE_MB
    return Result(ok=free_mb >= minimum, detail=f"{free_mb} MB free (minimum {minimum} MB)")


def job_queue() -> Result:
    """A worker seen lately and no ready job waiting too long (``chizheng.jobs.health``)."""
    from chizheng.jobs.health import job_queue_health

    ok, detail = job_queue_health()
    if not ok:
        return Result(ok=False, detail="；".join(detail["problems"]))
    return Result(
        ok=True,
        detail=f"{detail['workers_alive']} worker(s) alive, {detail['queued']} job(s) queued",
    )


def run_all() -> tuple[bool, dict[str, dict[str, object]]]:
    """Every configured check; healthy when none says False. A check that raises is
    unhealthy, reported by the exception's type only (the page needs no sign-in)."""
    results: dict[str, dict[str, object]] = {}
    for name, path in settings.HEALTH_CHECKS.items():
        check: Check = import_string(path)
        try:
            result = check()
        except Exception as e:  # a health check must answer, whatever broke
            log.exception("health check %s failed", name)
            result = Result(ok=False, detail=type(e).__name__)
        results[name] = asdict(result)
    healthy = all(r["ok"] is not False for r in results.values())
    return healthy, results
