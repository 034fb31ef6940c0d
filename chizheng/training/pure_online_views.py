"""The page of the office's pure-online list (§20(3)), under /classes/pure-online/: the
list, adding an occupation, taking one off, and the history of the changes. Thin: parse,
call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chizheng.accounts.access import can
from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.core.errors import DomainError

from . import selectors, services
from .forms import PureOnlineAddForm, PureOnlineEndForm


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def pure_online_list(request: HttpRequest, form: PureOnlineAddForm | None = None) -> HttpResponse:
    actor = _actor(request)
    may_edit = can(actor, "pure_online.edit")
    today = clock.today()
    return render(
        request,
        "training/pure_online.html",
        {
            "items": selectors.pure_online_list(actor=actor),
            "history": selectors.pure_online_history(actor=actor),
            "may_edit": may_edit,
            "form": form or PureOnlineAddForm(initial={"valid_from": today}),
            "end_form": PureOnlineEndForm(initial={"valid_until": today}),
            "today": today,
        },
    )


@login_required
@require_POST
def pure_online_add(request: HttpRequest) -> HttpResponse:
    form = PureOnlineAddForm(request.POST)
    if form.is_valid():
        try:
            item = services.pure_online_allow(actor=_actor(request), **form.cleaned_data)
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, f"已将{item.occupation.name}列入纯线上培训职业清单")
            return redirect("training:pure_online")
    response = pure_online_list(request, form=form)
    response.status_code = 400
    return response


@login_required
@require_POST
def pure_online_end(request: HttpRequest, item_id: int) -> HttpResponse:
    form = PureOnlineEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写截止日期")
        return redirect("training:pure_online")
    try:
        item = services.pure_online_end(actor=_actor(request), item_id=item_id, **form.cleaned_data)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"{item.occupation.name}自{item.valid_until}后移出清单")
    return redirect("training:pure_online")
