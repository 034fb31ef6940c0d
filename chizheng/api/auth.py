"""Who calls the API: a machine with an API token, or a person with a session.

- ``TokenAuth``: ``Authorization: Bearer <token>`` (``chizheng.accounts.tokens``); the
  request then acts as the token's user (``request.user``), through the same access layer.
  No CSRF token is needed: a browser never attaches a bearer token on its own.
- ``SessionAuth``: the sign-in session of the pages; an unsafe request (POST …) must carry
  the CSRF token in the ``X-CSRFToken`` header, as the pages' own requests do. A request
  without a session cookie is simply not a session request (401, not a CSRF refusal).

A bad token is refused with its reason (invalid, expired, revoked) — never tried as a session.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from chizheng.accounts.addresses import client_address
from chizheng.accounts.tokens import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # The real client behind the trusted proxies, as the sign-in lockout sees it.
        user = user_for_token(token.strip(), address=client_address(request))
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    def __init__(self) -> None:
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.COOKIES.get(self.param_name):
            return None
        return super()._get_key(request)  # checks the CSRF token

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key and request.user.is_authenticated:
            return request.user
        return None


token_auth = TokenAuth()
session_auth = SessionAuth()
