"""The request id and the access log: one line per request.

Every request gets an id: the incoming ``X-Request-ID`` when it is well-formed (a proxy in
front of the server sets it, so its log and ours can be joined), a new one otherwise. The
id is returned in the response's ``X-Request-ID`` header and is on every log line written
while the request runs (``chizheng.core.logging``), with the signed-in user's id.

The access line names the method, the path, the names of the query parameters (never their
values: a search for a person carries his name or number), the status, the duration and the
user. It is logged on ``chizheng.access``.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from chizheng.core.logging import log_context, set_user_id

HEADER = "X-Request-ID"
# What a well-formed incoming id looks like (a UUID, a proxy's hex or base64url id).
WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")

access_log = logging.getLogger("chizheng.access")


def request_id_of(request: HttpRequest) -> str:
    incoming = request.headers.get(HEADER, "")
    if WELL_FORMED.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def _user_id(request: HttpRequest) -> int | None:
    """The signed-in user: the session's, or the one an API authenticator put on ``auth``."""
    for candidate in (getattr(request, "user", None), getattr(request, "auth", None)):
        if candidate is not None and getattr(candidate, "is_authenticated", False):
            pk = getattr(candidate, "pk", None)
            if isinstance(pk, int):
                return pk
    return None


class RequestLogMiddleware:
    """First in ``MIDDLEWARE``: it times the whole request and sees every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request_id_of(request)
        request.request_id = rid  # type: ignore[attr-defined]
        started = time.perf_counter()
        with log_context(request_id=rid):
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            user_id = _user_id(request)
            set_user_id(user_id)
            request.log_user_id = user_id  # type: ignore[attr-defined]
            fields: dict[str, Any] = {
                "method": request.method,
                "path": request.path,
                "query": ",".join(sorted(set(request.GET.keys()))),
                "status": response.status_code,
                "duration_ms": duration_ms,
            }
            access_log.info(
                "%s %s %s %sms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra=fields,
            )
        response[HEADER] = rid
        return response

    def process_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        # The session user is known once the authentication middleware has run: from here
        # on every line the view logs carries it.
        set_user_id(_user_id(request))
