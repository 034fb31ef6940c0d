"""An institution's page and form, the city office's filing and catalog decisions on it, and
what is added to it from its page: evaluation scopes and catalog entries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from chizheng.accounts.access import access_by_id, can
from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.supervision.risk import institution_risks

from .. import forms, selectors, services
from .. import workflow as registry_workflow
from ..models import Institution
from .common import actor_of, back_with_errors, submit


@login_required
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    inst = access_by_id(actor, selectors.institution_list(actor=actor), pk)
    today = clock.today()
    return render(
        request,
        "registry/institution.html",
        {
            "i": inst,
            "today": today,
            "active": selectors.active_sanctions(party=inst, on=today),
            "sanctions": selectors.sanction_list(actor=actor, institution=inst),
            "scopes": selectors.evaluation_scope_list(actor=actor, institution=inst),
            "catalog": selectors.catalog_list(actor=actor, institution=inst),
            "teachers": selectors.teacher_list(actor=actor, institution_id=inst.pk),
            "sites": selectors.site_list(actor=actor, institution_id=inst.pk).prefetch_related(
                "workstations__occupation"
            ),
            "may_edit": services.may_edit(actor),
            "may_sanction": can(actor, "sanction.edit"),
            "decisions": _decisions(actor, inst),
            "decided": selectors.institution_decisions(actor=actor, institution=inst),
            "scope_form": forms.EvaluationScopeForm(),
            "catalog_form": forms.CatalogForm(initial={"year": today.year, "valid_from": today}),
            # The risk from the findings, for whom may see them (never the institution itself).
            "risks": institution_risks(actor=actor, institution=inst, year=today.year),
            "risk_year": today.year,
        },
    )


def _decisions(actor: User, inst: Institution) -> list[dict[str, Any]]:
    """The filing and catalog decisions the actor may take on this institution now."""
    offered = []
    if inst.evaluator_kind:
        offered += registry_workflow.FILING.available(inst, actor)
    if inst.kind == Institution.Kind.PLATFORM:
        offered += registry_workflow.CATALOG.available(inst, actor)
    return [
        {
            "name": t.name,
            "label": t.label,
            "removal": t.name in registry_workflow.REMOVALS,
            "needs_date": t.name in ("file", "catalog_list"),
            "needs_number": t.name == "file",
        }
        for t in offered
    ]


DECISIONS: dict[str, Callable[..., Institution]] = {
    "file": lambda actor, pk, d: services.institution_file(
        actor=actor,
        institution_id=pk,
        filed_on=d["on"] or clock.today(),
        filing_number=d["number"],
        reason=d["reason"],
    ),
    "revoke_filing": lambda actor, pk, d: services.institution_revoke_filing(
        actor=actor, institution_id=pk, reason=d["reason"]
    ),
    "catalog_list": lambda actor, pk, d: services.platform_list(
        actor=actor, institution_id=pk, since=d["on"] or clock.today(), reason=d["reason"]
    ),
    "catalog_remove": lambda actor, pk, d: services.platform_remove(
        actor=actor, institution_id=pk, reason=d["reason"]
    ),
}


@login_required
@require_POST
def institution_decide(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    decide = DECISIONS.get(name)
    if decide is None:
        raise Http404
    actor = actor_of(request)
    form = forms.DecisionForm(request.POST)
    submit(form, lambda: decide(actor, pk, form.cleaned_data))
    return back_with_errors(request, form, "registry:institution", pk)


@login_required
@require_http_methods(["GET", "POST"])
def institution_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = actor_of(request)
    inst = access_by_id(actor, selectors.institution_list(actor=actor), pk) if pk else None
    initial: dict[str, Any] = {}
    if inst is not None:
        initial = {f: getattr(inst, f) for f in services.INSTITUTION_FIELDS}
        initial.update(credit_code=inst.credit_code, county=inst.county, department=inst.department)
    form = forms.InstitutionForm(request.POST or None, actor=actor, initial=initial)
    if inst is not None:
        form.fields["credit_code"].disabled = True
        form.fields["county"].disabled = True
    if request.method == "POST":

        def save() -> Institution:
            data = dict(form.cleaned_data)
            fields = {
                k: data[k] or "" for k in services.INSTITUTION_FIELDS if k not in ("name", "kind")
            }
            if inst is None:
                return services.institution_create(
                    actor=actor,
                    name=data["name"],
                    credit_code=data["credit_code"],
                    kind=data["kind"],
                    county=data["county"],
                    department=data["department"],
                    **fields,
                )
            return services.institution_update(
                actor=actor,
                institution_id=inst.pk,
                name=data["name"],
                kind=data["kind"],
                department=data["department"],
                **fields,
            )

        saved = submit(form, save)
        if saved:
            return redirect("registry:institution", pk=saved.pk)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": "编辑机构" if inst else "登记机构",
            "back": request.GET.get("back", ""),
        },
    )


@login_required
@require_POST
def evaluation_scope_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    form = forms.EvaluationScopeForm(request.POST)
    submit(
        form,
        lambda: services.evaluation_scope_set(
            actor=actor,
            institution_id=pk,
            occupation_code=form.cleaned_data["occupation_code"],
            levels=form.cleaned_data["levels"],
        ),
    )
    return back_with_errors(request, form, "registry:institution", pk)


@login_required
@require_POST
def catalog_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    form = forms.CatalogForm(request.POST)
    submit(
        form,
        lambda: services.catalog_add(
            actor=actor,
            institution_id=pk,
            year=form.cleaned_data["year"],
            occupation_code=form.cleaned_data["occupation_code"],
            valid_from=form.cleaned_data["valid_from"],
            source=form.cleaned_data["source"],
            note=form.cleaned_data["note"],
        ),
    )
    return back_with_errors(request, form, "registry:institution", pk)
