"""Sign-in for the site's own login page.

The lockout itself is django-axes' (docs/adr/0004): its authentication backend refuses a
locked-out username and client address before any password is tried, on every path that
calls ``authenticate`` (this page, /admin/login/, any other), and it counts every failure.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest

from chizheng.core import audit
from chizheng.core.errors import DomainError

from .lockout import locked_message
from .models import User


class LoginLocked(DomainError):
    code = "login_locked"
    http_status = 429


class LoginFailed(DomainError):
    code = "login_failed"
    http_status = 401


def login_check(*, request: HttpRequest, username: str, password: str) -> User:
    """Authenticate, refusing while too many recent failures lock the username and address."""
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise LoginLocked(locked_message(), message_en="too many failed sign-ins; try later")
    if user is None:
        raise LoginFailed("用户名或密码错误", message_en="wrong username or password")
    assert isinstance(user, User)
    audit.record(actor=user, action="user.login", obj=user)
    return user
