"""Page middleware: the UI language (Chinese unless English is chosen) and DomainError pages
(with the last resort for a value the database refused, ``chizheng.core.dbinput``)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from chizheng.core import dbinput
from chizheng.core.errors import DomainError


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DomainError):
            return render(
                request, "web/error.html", {"error": exception}, status=exception.http_status
            )
        if dbinput.from_database(exception):  # the last resort: a check is missing (logged)
            refused = dbinput.refusal(exception, path=request.path)
            return render(request, "web/error.html", {"error": refused}, status=422)
        return None


class ChineseByDefaultLocaleMiddleware:
    """Simplified Chinese unless the user chose English with the language switch (a cookie);
    the browser's Accept-Language is not consulted (officials' browsers vary, the UI does not)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
