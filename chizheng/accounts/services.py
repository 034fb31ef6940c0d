"""Sign-in with throttling; user creation for the demo and the admin."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest

from chizheng.core import audit, clock
from chizheng.core.errors import DomainError
from chizheng.core.models import LoginFailure

from .models import User


class LoginLocked(DomainError):
    code = "login_locked"
    http_status = 429


class LoginFailed(DomainError):
    code = "login_failed"
    http_status = 401


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def login_check(*, request: HttpRequest, username: str, password: str) -> User:
    """Authenticate, refusing further tries after too many recent failures."""
    now = clock.now()
    window = now - dt.timedelta(seconds=settings.LOGIN_LOCK_SECONDS)
    address = _address(request)
    recent = LoginFailure.objects.filter(username=username, address=address, at__gte=window)
    if recent.count() >= settings.LOGIN_MAX_FAILURES:
        minutes = settings.LOGIN_LOCK_SECONDS // 60
        raise LoginLocked(
            f"登录失败次数过多，请{minutes}分钟后再试",
            message_en="too many failed sign-ins; try later",
        )
    user = authenticate(request, username=username, password=password)
    if user is None:
        LoginFailure.objects.create(username=username, address=address, at=now)
        raise LoginFailed("用户名或密码错误", message_en="wrong username or password")
    LoginFailure.objects.filter(username=username, address=address).delete()
    assert isinstance(user, User)
    audit.record(actor=user, action="user.login", obj=user)
    return user
