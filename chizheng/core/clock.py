"""The one place the system asks for the time (so tests and the demo can fix it)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    return timezone.localdate()
