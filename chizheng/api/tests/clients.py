"""The test client every test uses: CSRF checks on, as on a real server.

Django's test client switches CSRF checks off by default, which once let a test "prove"
that an institution's system could submit a class while a real server refused it. This
client enforces them, and — like the pages' own scripts (``hx-headers`` in base.html) —
sends the CSRF token of its cookie in ``X-CSRFToken`` on unsafe requests; set
``send_csrf = False`` to send a request without it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.test import Client
from django.utils.crypto import get_random_string

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class ApiClient(Client):
    def __init__(self, **defaults: Any) -> None:
        super().__init__(enforce_csrf_checks=True, **defaults)
        self.send_csrf = True
        # what a page sets when it renders a form (the double-submit cookie)
        self.cookies[settings.CSRF_COOKIE_NAME] = get_random_string(32)

    @property
    def csrf_token(self) -> str:
        return self.cookies[settings.CSRF_COOKIE_NAME].value

    def generic(
        self,
        method: str,
        path: Any,
        data: Any = "",
        content_type: str | None = "application/octet-stream",
        secure: bool = False,
        *,
        headers: Mapping[str, str] | None = None,
        query_params: Mapping[Any, Any] | None = None,
        **extra: Any,
    ) -> Any:
        if self.send_csrf and method.upper() not in SAFE_METHODS:
            headers = {"X-CSRFToken": self.csrf_token, **(headers or {})}
        return super().generic(
            method,
            path,
            data,
            content_type,
            secure,
            headers=headers,
            query_params=query_params,
            **extra,
        )
