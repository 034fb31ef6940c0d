"""The worker (``chizheng worker``): takes jobs from the queue and runs them one at a time.

Between jobs it queues the periodic jobs whose time has come (``schedule``) and hands back
the jobs of workers that died (``services.recover_stalled``); a thread keeps its heartbeat
while a long job runs, so that it is not itself taken for dead. Taking a job from the queue
is django-tasks' database backend's (a row lock with SKIP LOCKED on PostgreSQL, an exclusive
transaction on SQLite), so two workers never run the same entry.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from types import TracebackType

from django.conf import settings
from django.db import DatabaseError, OperationalError, close_old_connections, connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker as QueueWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from . import schedule, services
from .models import Job

logger = logging.getLogger(__name__)


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{get_random_string(8)}"


class Beat:
    """The worker's heartbeat: written on entry, then every ``every`` seconds by a thread
    (with its own database connection), marked stopped on exit."""

    def __init__(self, worker_id: str, *, every: float, threaded: bool = True) -> None:
        self.worker_id, self.every, self.threaded = worker_id, every, threaded
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Beat:
        services.worker_beat(
            worker_id=self.worker_id, hostname=socket.gethostname(), pid=os.getpid()
        )
        if self.threaded:
            self._thread = threading.Thread(target=self._run, name="job-heartbeat", daemon=True)
            self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.every + 25)
        try:
            services.worker_stopped(worker_id=self.worker_id)
        except DatabaseError:
            logger.warning("worker %s: could not record its stop", self.worker_id)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.every):
                try:
                    services.worker_beat(worker_id=self.worker_id)
                except DatabaseError as e:  # SQLite busy with a long write: next time
                    logger.warning("worker %s: heartbeat not written (%s)", self.worker_id, e)
        finally:
            connections.close_all()


class Worker:
    def __init__(
        self,
        *,
        worker_id: str = "",
        poll_s: float | None = None,
        maintain_every_s: float | None = None,
        beat_thread: bool = True,
        backend: str = "default",
    ) -> None:
        self.worker_id = worker_id or new_worker_id()
        self.poll_s = settings.WORKER_POLL_SECONDS if poll_s is None else poll_s
        self.maintain_every_s = (
            settings.WORKER_HEARTBEAT_SECONDS if maintain_every_s is None else maintain_every_s
        )
        self.beat_thread = beat_thread
        self.backend = backend
        self.stopping = threading.Event()
        self._queue = QueueWorker(
            queue_names=["*"],
            interval=self.poll_s,
            batch=False,
            backend_name=backend,
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )

    def beat(self) -> Beat:
        return Beat(
            self.worker_id, every=settings.WORKER_HEARTBEAT_SECONDS, threaded=self.beat_thread
        )

    # --- one step ----------------------------------------------------------------------

    def claim(self, *, task_id: str = "") -> DBTaskResult | None:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend)
        if task_id:
            tasks = tasks.filter(id=task_id)
        try:
            with exclusive_transaction(tasks.db):
                found = tasks.get_locked()
                if found is not None:
                    found.claim(self.worker_id)
                return found
        except OperationalError as e:
            if is_locked_database_exception(e):
                return None  # another worker holds the queue this instant
            raise

    def run_once(self) -> bool:
        found = self.claim()
        if found is None:
            return False
        self._queue.run_task(found)
        return True

    def maintain(self) -> None:
        schedule.enqueue_due()
        services.recover_stalled()

    # --- loops -------------------------------------------------------------------------

    def drain(self, *, maintain: bool = False) -> int:
        """Run every job that is ready, then return how many ran (``worker --once``)."""
        with self.beat():
            if maintain:
                self.maintain()
            ran = 0
            while self.run_once():
                ran += 1
            return ran

    def run_now(self, job: Job) -> Job:
        """Run this job here and now if it is still waiting (the CLI, the demo): through the
        queue, so that no worker runs it as well."""
        with self.beat():
            found = self.claim(task_id=job.task_id) if job.task_id else None
            if found is not None:
                self._queue.run_task(found)
        job.refresh_from_db()
        return job

    def run(self) -> None:
        """Until ``stop``: run jobs, and keep the schedule and the dead workers' jobs."""
        logger.info("worker %s started", self.worker_id)
        with self.beat():
            last_maintained = float("-inf")
            while not self.stopping.is_set():
                if time.monotonic() - last_maintained >= self.maintain_every_s:
                    try:
                        self.maintain()
                    except DatabaseError as e:
                        logger.warning("worker %s: maintenance skipped (%s)", self.worker_id, e)
                    last_maintained = time.monotonic()
                ran = self.run_once()
                close_old_connections()
                if not ran:
                    self.stopping.wait(self.poll_s)
        logger.info("worker %s stopped", self.worker_id)

    def stop(self) -> None:
        self.stopping.set()
