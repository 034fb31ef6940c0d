"""The one place the system asks for the time.

``CHIZHENG_TODAY=YYYY-MM-DD`` fixes the date (the demo runs its 2022 city-year on a day of
that year, so deadlines and progress read as they did then); the time of day stays real.
Tests freeze the clock with ``freeze``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

_frozen: dt.datetime | None = None


def _configured_day() -> dt.date | None:
    raw = os.environ.get("CHIZHENG_TODAY", "")
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ImproperlyConfigured(f"CHIZHENG_TODAY={raw!r} is not a date (YYYY-MM-DD)") from None


def now() -> dt.datetime:
    if _frozen is not None:
        return _frozen
    real = timezone.now()
    day = _configured_day()
    if day is None:
        return real
    local = timezone.localtime(real)
    return local.replace(year=day.year, month=day.month, day=day.day)


def today() -> dt.date:
    return timezone.localtime(now()).date()


@contextmanager
def freeze(moment: dt.datetime | dt.date) -> Iterator[None]:
    """Fix ``now`` (a date means 10:00 local time that day) for the duration of the block."""
    global _frozen
    if not isinstance(moment, dt.datetime):
        moment = timezone.make_aware(dt.datetime(moment.year, moment.month, moment.day, 10))
    previous, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = previous
