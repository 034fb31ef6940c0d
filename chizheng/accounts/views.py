"""The API token page: a user of an institution (or a platform) issues, lists and revokes
the tokens of his institution's systems; a new token is shown once, on the page that
issued it, and never again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from chizheng.core import clock
from chizheng.core.errors import DomainError

from . import selectors, tokens
from .access import require
from .forms import TokenForm
from .models import User


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    require(user, "api.token")
    return user


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            token, clear = tokens.token_issue(
                actor=actor, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            issued = {"token": token, "clear": clear}
            form = TokenForm()
    response = render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "issued": issued,
            "rows": selectors.token_list(actor=actor),
            "now": clock.now(),
            "api_base": request.build_absolute_uri("/api/v1/"),
        },
    )
    if issued:  # the clear token must not stay in any cache
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = tokens.token_revoke(actor=_actor(request), token_id=token_id)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"令牌 {token.prefix}… 已停用，使用它的系统将被拒绝")
    return redirect("accounts:tokens")
