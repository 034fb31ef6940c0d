"""People: a person's page (masked), registering and editing a person, and rosters
(花名册)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from chizheng.accounts.access import access_by_id

from .. import forms, selectors, services
from ..models import Person
from .common import PAGE_SIZE, actor_of, submit


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    person = access_by_id(
        actor,
        selectors.person_list(actor=actor).select_related(
            "employer", "school", "post_occupation", "former_occupation", "major_occupation"
        ),
        pk,
    )
    return render(
        request, "registry/person.html", {"p": person, "may_edit": services.may_edit(actor)}
    )


@login_required
def roster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    roster = access_by_id(actor, selectors.roster_list(actor=actor), pk)
    entries = selectors.roster_entries(roster=roster)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/roster.html", {"r": roster, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def person_form(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = forms.PersonForm(
        request.POST or None,
        actor=actor,
        initial={"county": actor.county} if actor.county_id else {},
    )
    if request.method == "POST":

        def save() -> Person:
            services.require_registry_edit(actor=actor, county=form.cleaned_data["county"])
            d = form.cleaned_data
            return services.person_register(
                actor=actor,
                name=d["name"],
                id_number=d["id_number"],
                county=d["county"],
                phone=d["phone"],
                key_group=d["key_group"],
            )

        saved = submit(form, save)
        if saved:
            return (
                redirect("registry:person", pk=saved.pk)
                if selectors.person_visible(actor=actor, person_id=saved.pk)
                else redirect("registry:list", name="people")
            )
    return render(request, "registry/form.html", {"form": form, "title": "登记人员"})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    person = access_by_id(actor, selectors.person_list(actor=actor), pk)

    def code(o: Any) -> str:
        return str(getattr(o, "code", "") or getattr(o, "credit_code", "")) if o else ""

    initial = {
        "name": person.name,
        "key_group": person.key_group,
        "employer": code(person.employer),
        "post_occupation": code(person.post_occupation),
        "former_occupation": code(person.former_occupation),
        "transferred_on": person.transferred_on,
        "school": code(person.school),
        "major_occupation": code(person.major_occupation),
        "graduation_year": person.graduation_year,
    }
    form = forms.PersonEditForm(request.POST or None, initial=initial)
    if request.method == "POST":

        def save() -> Person:
            d = form.cleaned_data
            changes: dict[str, Any] = {
                "name": d["name"],
                "key_group": d["key_group"],
                "transferred_on": d["transferred_on"],
                "graduation_year": d["graduation_year"],
            }
            if d["phone"]:
                changes["phone"] = d["phone"]
            for key in ("post_occupation", "former_occupation", "major_occupation"):
                changes[key] = services.occupation_for_code(d[key]) if d[key] else None
            changes["employer"] = (
                services.institution_by_credit_code(d["employer"]) if d["employer"] else None
            )
            changes["school"] = (
                services.institution_by_credit_code(d["school"], schools_only=True)
                if d["school"]
                else None
            )
            return services.person_update(actor=actor, person_id=person.pk, **changes)

        if submit(form, save):
            return redirect("registry:person", pk=person.pk)
    return render(request, "registry/form.html", {"form": form, "title": f"编辑人员 · {person}"})
