"""The nightly jobs: queued at their time, at most once a night, whatever the workers do."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.db import connections
from django.utils import timezone

from chizheng.jobs import schedule
from chizheng.jobs.models import Job
from chizheng.jobs.worker import Worker


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


DAY = dt.date(2022, 5, 10)
KINDS = sorted(p.kind for p in schedule.NIGHTLY)


@pytest.mark.django_db
def test_nothing_is_queued_before_the_time(city: object, settings: object) -> None:
    settings.NIGHTLY_AT = dt.time(2, 0)  # type: ignore[attr-defined]
    assert schedule.enqueue_due(now=_at(DAY, 1, 59)) == []
    assert Job.objects.count() == 0


@pytest.mark.django_db
def test_each_nightly_job_is_queued_once_a_night(city: object, settings: object) -> None:
    settings.NIGHTLY_AT = dt.time(2, 0)  # type: ignore[attr-defined]
    first = schedule.enqueue_due(now=_at(DAY, 2, 0))
    assert sorted(j.kind for j in first) == KINDS
    assert all(j.created_by is None and j.city is not None for j in first)
    # Later the same night, after a restart: nothing new.
    assert schedule.enqueue_due(now=_at(DAY, 2, 1)) == []
    assert schedule.enqueue_due(now=_at(DAY, 23, 59)) == []
    assert Job.objects.count() == len(KINDS)
    # The next night: the next ones.
    assert len(schedule.enqueue_due(now=_at(DAY + dt.timedelta(days=1), 3))) == len(KINDS)


@pytest.mark.django_db
def test_a_worker_started_late_catches_the_night_up(
    city: object, settings: object, today: Callable[[dt.date], None]
) -> None:
    settings.NIGHTLY_AT = dt.time(2, 0)  # type: ignore[attr-defined]
    today(DAY)  # 10:00 that day
    Worker(worker_id="late", beat_thread=False).maintain()
    assert sorted(Job.objects.values_list("kind", flat=True)) == KINDS
    Worker(worker_id="restarted", beat_thread=False).maintain()
    assert Job.objects.count() == len(KINDS)


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_moment_queue_one_night(city: object, settings: object) -> None:
    settings.NIGHTLY_AT = dt.time(2, 0)  # type: ignore[attr-defined]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            schedule.enqueue_due(now=_at(DAY, 2, 0))
        except BaseException as e:
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(Job.objects.values_list("kind", flat=True)) == KINDS
