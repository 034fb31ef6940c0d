"""Teachers and sites of an institution: their pages, registering them, and setting a
site's workstations."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from chizheng.accounts.access import access_by_id

from .. import forms, selectors, services
from ..models import Teacher
from .common import actor_of, submit


@login_required
def teacher_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    teacher = access_by_id(actor, selectors.teacher_list(actor=actor), pk)
    return render(
        request,
        "registry/teacher.html",
        {"t": teacher, **selectors.teacher_records(teacher=teacher)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    site = access_by_id(actor, selectors.site_list(actor=actor), pk)
    form = forms.WorkstationForm(request.POST or None)
    if request.method == "POST":
        done = submit(
            form,
            lambda: (
                services.workstation_set(
                    actor=actor,
                    site_id=site.pk,
                    occupation_code=form.cleaned_data["occupation_code"],
                    count=form.cleaned_data["count"],
                )
                or True
            ),
        )
        if done:
            return redirect("registry:site", pk=site.pk)
    return render(
        request,
        "registry/site.html",
        {
            "s": site,
            "workstations": selectors.site_workstations(site=site),
            "form": form,
            "may_edit": services.may_edit(actor),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def teacher_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    inst = access_by_id(actor, selectors.institution_list(actor=actor), pk)
    form = forms.TeacherForm(request.POST or None)
    if request.method == "POST":

        def save() -> Teacher:
            d = form.cleaned_data
            certs = (
                [{"kind": d["certificate_kind"], "number": d["certificate_number"]}]
                if d["certificate_kind"] and d["certificate_number"]
                else []
            )
            return services.teacher_add(
                actor=actor,
                institution_id=inst.pk,
                name=d["name"],
                id_number=d["id_number"],
                full_time=d["full_time"],
                occupation_codes=[
                    c for c in re.split(r"[、，,;；\s]+", d["occupation_codes"]) if c
                ],
                certificates=certs,
            )

        saved = submit(form, save)
        if saved:
            return redirect("registry:teacher", pk=saved.pk)
    return render(request, "registry/form.html", {"form": form, "title": f"{inst.name} · 登记师资"})


@login_required
@require_http_methods(["GET", "POST"])
def site_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    inst = access_by_id(actor, selectors.institution_list(actor=actor), pk)
    form = forms.SiteForm(request.POST or None)
    if request.method == "POST":
        saved = submit(
            form,
            lambda: services.site_add(
                actor=actor,
                institution_id=inst.pk,
                name=form.cleaned_data["name"],
                address=form.cleaned_data["address"],
                area_m2=form.cleaned_data["area_m2"],
            ),
        )
        if saved:
            return redirect("registry:site", pk=saved.pk)
    return render(request, "registry/form.html", {"form": form, "title": f"{inst.name} · 登记场地"})
