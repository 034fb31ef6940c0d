"""Sanctions on institutions (暂停、黑名单、平台禁入): a sanction's page, imposing and lifting
one, and the public blacklist (no sign-in, institutions only)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from chizheng.accounts.access import access_by_id, can
from chizheng.core import clock
from chizheng.core.search import matching, search_query

from .. import forms, selectors, services
from ..models import Sanction
from .common import actor_of, back_with_errors, submit


@login_required
def sanction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    sanction = access_by_id(actor, selectors.sanction_list(actor=actor), pk)
    return render(
        request,
        "registry/sanction.html",
        {
            "s": sanction,
            "active": sanction.is_active(clock.today()),
            "may_sanction": can(actor, "sanction.edit"),
            "form": forms.LiftForm(),
        },
    )


def public_blacklist(request: HttpRequest) -> HttpResponse:
    """Public (no sign-in): the blacklist in force; institutions only, no personal data."""
    q = search_query(request)
    rows = matching(
        selectors.public_blacklist(on=clock.today()), q, "name", "credit_code", "county"
    )
    return render(
        request,
        "registry/public_blacklist.html",
        {"rows": rows, "today": clock.today(), "q": q},
    )


@login_required
@require_http_methods(["GET", "POST"])
def sanction_form(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    inst = access_by_id(actor, selectors.institution_list(actor=actor), pk)
    form = forms.SanctionForm(request.POST or None, initial={"starts_on": clock.today()})
    if request.method == "POST":

        def save() -> Sanction:
            d = form.cleaned_data
            return services.sanction_create(
                actor=actor,
                institution_id=inst.pk,
                kind=d["kind"],
                starts_on=d["starts_on"],
                reason=d["reason"],
                ends_on=d["ends_on"],
            )

        saved = submit(form, save)
        if saved:
            return redirect("registry:sanction", pk=saved.pk)
    return render(request, "registry/form.html", {"form": form, "title": f"{inst.name} · 处理措施"})


@login_required
@require_POST
def sanction_lift(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    form = forms.LiftForm(request.POST)
    submit(
        form,
        lambda: services.sanction_lift(
            actor=actor,
            sanction_id=pk,
            lifted_on=form.cleaned_data["lifted_on"],
            reason=form.cleaned_data["reason"],
        ),
    )
    return back_with_errors(request, form, "registry:sanction", pk)
