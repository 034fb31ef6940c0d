"""Thin views: sign-in, sign-out, the home page of each role, the health check."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chizheng.accounts.lockout import locked_message
from chizheng.accounts.models import User
from chizheng.accounts.services import LoginLocked, login_check
from chizheng.core.errors import DomainError

from . import health
from . import home as home_selectors


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    error = None
    username = ""
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        try:
            user = login_check(
                request=request, username=username, password=request.POST.get("password", "")
            )
        except DomainError as e:
            error = e
        else:
            login(request, user)
            target = request.GET.get("next", "")
            safe = url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
            return redirect(target if target and safe else "web:home")
    status = error.http_status if error else 200
    return render(request, "web/login.html", {"error": error, "username": username}, status=status)


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The lockout page of every sign-in path (django-axes' ``AXES_LOCKOUT_CALLABLE``)."""
    error = LoginLocked(locked_message(), message_en="too many failed sign-ins; try later")
    username = str((credentials or {}).get("username") or request.POST.get("username", ""))
    return render(
        request,
        "web/login.html",
        {"error": error, "username": username[:150]},
        status=error.http_status,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    return render(request, "web/home.html", home_selectors.home_for(actor=user))


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Pages without our layout (the admin) make the browser ask for /favicon.ico."""
    return redirect(static("chizheng/favicon.svg"))


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For the operator's monitoring and the proxy: no sign-in, no programme data."""
    healthy, checks = health.run_all()
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": checks}, status=200 if healthy else 503
    )
