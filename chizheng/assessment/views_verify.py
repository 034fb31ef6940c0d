"""The public certificate verification pages (no sign-in): the form, and a certificate's own
page reached by its QR code."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from chizheng.accounts.addresses import client_address
from chizheng.core import clock, qr, rate_limit
from chizheng.core.errors import DomainError
from chizheng.rules import params

from . import verification

HOUR = 3600  # the window of assessment.verify_lookups_per_hour


def _qr(request: HttpRequest, path: str) -> str:
    return mark_safe(qr.svg(request.build_absolute_uri(path), label="证书查验二维码"))  # noqa: S308 - drawn here, text escaped


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """证书编号 + 姓名 → the certificate, masked; the same answer for any mismatch. Posted,
    so that a name never sits in a URL (a proxy's log, the browser's history)."""
    number, name = request.POST.get("number", ""), request.POST.get("name", "")
    found, error, asked = None, "", request.method == "POST"
    limit = int(params.current().value("assessment.verify_lookups_per_hour", clock.today()))
    limited = asked and not rate_limit.allow(
        f"verify:{client_address(request)}", limit=limit, window_seconds=HOUR
    )
    if limited:
        error = f"查验过于频繁：同一网络每小时最多查验 {limit} 次，请稍后再试"
    elif asked:
        try:
            found = verification.certificate_verify(number=number, name=name)
        except DomainError as e:
            error = e.message
    return render(
        request,
        "assessment/verify.html",
        {
            "number": number[: verification.NUMBER_MAX],
            "name": "" if found else name[: verification.NAME_MAX],  # found: shown masked only
            "found": found,
            "error": error,
            "asked": asked and not error,
            "qr": _qr(request, found.path) if found else "",
        },
        status=429 if limited else 200,
    )


@require_http_methods(["GET"])
def certificate(request: HttpRequest, number: str) -> HttpResponse:
    """The page a certificate's QR code opens: its number and keyed check."""
    found = verification.certificate_by_check(number=number, check=request.GET.get("k", ""))
    if found is None:
        raise Http404("未找到该证书")
    return render(
        request,
        "assessment/verify.html",
        {"found": found, "asked": True, "by_code": True, "qr": _qr(request, found.path)},
    )
