"""The codes a class shows its trainees: the classroom sign-in QR code (the institution's
screen, renewed by htmx; the trainee's phone page: scan, selfie, signed in) and, at the end
of the class, the satisfaction survey's code (§19)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from chizheng.accounts.access import require
from chizheng.accounts.models import User
from chizheng.core import qr
from chizheng.core.errors import DomainError

from . import selectors, services


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _code_context(request: HttpRequest, session_id: int) -> dict[str, object]:
    session, code, renew = services.sign_in_code(actor=_actor(request), session_id=session_id)
    url = request.build_absolute_uri(reverse("training:sign_in", args=[session.pk]))
    url += f"?{code.query()}"
    return {
        "session": session,
        "training_class": session.training_class,
        "renew": renew,
        "qr": mark_safe(qr.svg(url, size_px=320, label="扫码签到")),  # noqa: S308 - drawn here
        "url": url,
    }


@login_required
@require_http_methods(["GET"])
def sign_in_code(request: HttpRequest, session_id: int) -> HttpResponse:
    """The teacher's screen: the session's code, renewed every few seconds by htmx."""
    template = (
        "training/_sign_in_code.html"
        if request.headers.get("HX-Request")
        else "training/sign_in_code.html"
    )
    return render(request, template, _code_context(request, session_id))


@login_required
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest, session_id: int) -> HttpResponse:
    """The trainee's phone: the code he scanned, a selfie, and he is signed in."""
    actor = _actor(request)
    source = request.POST if request.method == "POST" else request.GET
    done, error = None, ""
    try:
        code = services.code_of(
            session_id=session_id,
            window=source.get("w", ""),
            nonce=source.get("n", ""),
            check=source.get("t", ""),
        )
        services.code_usable(code)
        if request.method == "POST":
            selfie = request.FILES.get("selfie")
            done = services.qr_sign_in(
                actor=actor, code=code, selfie=selfie.read() if selfie else b""
            )
    except DomainError as e:
        code, error = None, e.message
    return render(
        request,
        "training/sign_in.html",
        {
            "code": code,
            "error": error,
            "done": done,
            "session_id": session_id,
            "mine": selectors.my_attendance(actor=actor) if done else [],
        },
        status=200 if not error else 400,
    )


@login_required
@require_http_methods(["GET"])
def survey_code(request: HttpRequest, class_id: int) -> HttpResponse:
    """The survey's QR code for the trainees to scan at the end of the class (§19)."""
    actor = _actor(request)
    training_class = selectors.class_get(actor=actor, class_id=class_id)
    require(actor, "class.deliver", training_class, message="只有本班的培训机构可以出示调查二维码")
    url = request.build_absolute_uri(reverse("training:survey", args=[training_class.pk]))
    return render(
        request,
        "training/survey_code.html",
        {
            "training_class": training_class,
            "open": training_class.status in services.SURVEY_OPEN,
            "qr": mark_safe(qr.svg(url, size_px=320, label="满意度调查")),  # noqa: S308 - drawn here
            "url": url,
        },
    )
