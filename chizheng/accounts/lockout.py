"""The sign-in lockout's settings as django-axes asks for them, read from the project's own
(``LOGIN_MAX_FAILURES``, ``LOGIN_LOCK_SECONDS``), so that one variable sets each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest


def failure_limit(request: HttpRequest | None, credentials: Any = None) -> int:
    return int(settings.LOGIN_MAX_FAILURES)


def cool_off(request: HttpRequest | None = None) -> dt.timedelta:
    return dt.timedelta(seconds=int(settings.LOGIN_LOCK_SECONDS))


def locked_message() -> str:
    minutes = max(1, int(settings.LOGIN_LOCK_SECONDS) // 60)
    return f"登录失败次数过多，请{minutes}分钟后再试"
