"""What a running job reports while it works: rows done of the total, and its log.

A page polls the job's row, so progress must be committed while the work goes on. Outside a
transaction it is written at once (at most twice a second). Inside the one transaction of
an import's writes it cannot be: on PostgreSQL it goes through a second, autocommit
connection (a short UPDATE of the job's row, which that transaction never locks); on SQLite
the single writer is busy, so the figures wait for the end of the transaction. Log lines
written inside a transaction wait too, so that they appear in order.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import connection
from django.utils import timezone

from chizheng.core import clock

from .models import Job, JobLogEntry

logger = logging.getLogger(__name__)
WRITE_EVERY_S = 0.5


class Progress:
    def __init__(self, job: Job) -> None:
        self.job_id = job.pk
        self.done = 0
        self.total: int | None = job.rows_total
        self._logs: list[JobLogEntry] = []
        self._last_write = 0.0
        self._side: Any = None

    # --- what handlers call ----------------------------------------------------------

    def set_total(self, total: int) -> None:
        self.total = max(0, int(total))
        self._write(force=True)

    def advance(self, rows: int = 1) -> None:
        self.done += rows
        self._write()

    def set_done(self, rows: int) -> None:
        self.done = rows
        self._write()

    def log(self, message: str, level: str = JobLogEntry.Level.INFO) -> None:
        self._logs.append(
            JobLogEntry(job_id=self.job_id, at=clock.now(), level=level, message=message[:1000])
        )
        if not connection.in_atomic_block:
            self._flush_logs()

    # --- what the runner calls ---------------------------------------------------------

    def flush(self) -> None:
        """Write what is pending through the job's own connection (the work is over)."""
        Job.objects.filter(pk=self.job_id).update(rows_done=self.done, rows_total=self.total)
        self._flush_logs()
        self.close()

    def close(self) -> None:
        if self._side is not None:
            try:
                self._side.close()
            finally:
                self._side = None

    # --- writing -----------------------------------------------------------------------

    def _flush_logs(self) -> None:
        if self._logs:
            JobLogEntry.objects.bulk_create(self._logs)
            self._logs = []

    def _write(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_write < WRITE_EVERY_S:
            return
        self._last_write = now
        if not connection.in_atomic_block:
            Job.objects.filter(pk=self.job_id).update(rows_done=self.done, rows_total=self.total)
        elif connection.vendor == "postgresql":
            self._write_aside()

    def _write_aside(self) -> None:
        try:
            if self._side is None:
                import psycopg

                params = connection.get_connection_params()
                self._side = psycopg.connect(**params, autocommit=True)
                # Never wait on a lock: a figure skipped is overwritten by the next one.
                self._side.execute("SET lock_timeout = '1s'")
            table = connection.ops.quote_name(Job._meta.db_table)
            self._side.execute(
                f"UPDATE {table} SET rows_done = %s, rows_total = %s WHERE id = %s",  # noqa: S608 - the model's table name
                (self.done, self.total, self.job_id),
            )
        except Exception as e:  # progress is advisory: the work goes on
            logger.warning(
                "job %s: progress not written (%s) at %s", self.job_id, e, timezone.now()
            )
            self.close()
