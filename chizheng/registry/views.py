"""Registry pages: thin views over the selectors (reads) and services (writes)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django import forms as django_forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from chizheng.accounts.access import access_by_id, can
from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.core.errors import DomainError
from chizheng.jobs.selectors import job_failure
from chizheng.jobs.views import job_page_context

from . import forms, imports, selectors, services
from . import workflow as registry_workflow
from .models import ImportJob, Institution, Occupation, Person, Sanction, Teacher
from .tables import export_xlsx, tables_for

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _download(body: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    ascii_name = re.sub(r"[^A-Za-z0-9_.-]", "_", filename)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def _submit(form: django_forms.Form, action: Callable[[], Any]) -> Any:
    """Run a service for a valid form; a domain error becomes the form's error."""
    if not form.is_valid():
        return None
    try:
        return action()
    except DomainError as e:
        form.add_error(None, e.message)
        return None


# --- lists and exports -------------------------------------------------------------------


@login_required
def table_list(request: HttpRequest, name: str) -> HttpResponse:
    actor = _actor(request)
    table = tables_for(actor).get(name)
    if table is None:
        raise Http404
    qs = table.query(actor, request.GET)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    objects = list(page.object_list)
    detail = table.detail
    context = {
        "table": table,
        "page": page,
        "params": params.urlencode(),
        "rows": [
            (detail(o) if detail else "", cells)
            for o, cells in zip(objects, table.rows(objects), strict=True)
        ],
        "filters": [(f, request.GET.get(f.name, "")) for f in table.filters],
        "may_edit": services.may_edit(actor),
        "may_sanction": can(actor, "sanction.edit"),
    }
    template = "registry/_table.html" if request.headers.get("HX-Request") else "registry/list.html"
    return render(request, template, context)


@login_required
def table_export(request: HttpRequest, name: str) -> HttpResponse:
    """A short list is written at once; a long one (over ``EXPORT_DIRECT_MAX_ROWS``) becomes
    a background job whose page offers the file when it is ready."""
    actor = _actor(request)
    table = tables_for(actor).get(name)
    if table is None:
        raise Http404
    qs = table.query(actor, request.GET)
    if qs.count() > settings.EXPORT_DIRECT_MAX_ROWS:
        job = services.export_start(actor=actor, table=name, filters=request.GET)
        return redirect("jobs:detail", pk=job.pk)
    body = export_xlsx(table, qs.iterator(chunk_size=2000))
    return _download(body, f"{table.title}-{clock.today():%Y%m%d}.xlsx", XLSX)


# --- details -----------------------------------------------------------------------------


@login_required
def occupation_detail(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    occupation = selectors.occupation_by_code(code=code)
    if occupation is None:
        raise Http404
    occupation = access_by_id(actor, Occupation.objects.all(), occupation.pk)
    return render(
        request,
        "registry/occupation.html",
        {
            "o": occupation,
            "path": selectors.occupation_path(occupation),
            "children": occupation.children.filter(active=True),
        },
    )


@login_required
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    inst = access_by_id(actor, selectors.institution_list(actor=actor), pk)
    today = clock.today()
    return render(
        request,
        "registry/institution.html",
        {
            "i": inst,
            "today": today,
            "active": selectors.active_sanctions(party=inst, on=today),
            "sanctions": selectors.sanction_list(actor=actor).filter(institution=inst),
            "scopes": selectors.evaluation_scope_list(actor=actor, institution=inst),
            "catalog": selectors.catalog_list(actor=actor).filter(institution=inst),
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
    actor = _actor(request)
    form = forms.DecisionForm(request.POST)
    _submit(form, lambda: decide(actor, pk, form.cleaned_data))
    return _back_with_errors(request, form, "registry:institution", pk)


@login_required
def teacher_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    teacher = access_by_id(actor, selectors.teacher_list(actor=actor), pk)
    return render(
        request,
        "registry/teacher.html",
        {
            "t": teacher,
            "occupations": teacher.occupations.all(),
            "certificates": teacher.certificates.select_related("occupation"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    site = access_by_id(actor, selectors.site_list(actor=actor), pk)
    form = forms.WorkstationForm(request.POST or None)
    if request.method == "POST":
        done = _submit(
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
            "workstations": site.workstations.select_related("occupation"),
            "form": form,
            "may_edit": services.may_edit(actor),
        },
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
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
def sanction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
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


@login_required
def roster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    roster = access_by_id(actor, selectors.roster_list(actor=actor), pk)
    entries = roster.entries.select_related("person__county").order_by("row")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/roster.html", {"r": roster, "page": page})


def public_blacklist(request: HttpRequest) -> HttpResponse:
    """Public (no sign-in): the blacklist in force; institutions only, no personal data."""
    return render(
        request,
        "registry/public_blacklist.html",
        {
            "rows": selectors.public_blacklist(on=clock.today()),
            "today": clock.today(),
        },
    )


# --- forms -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def institution_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = _actor(request)
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

        saved = _submit(form, save)
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
    actor = _actor(request)
    form = forms.EvaluationScopeForm(request.POST)
    _submit(
        form,
        lambda: services.evaluation_scope_set(
            actor=actor,
            institution_id=pk,
            occupation_code=form.cleaned_data["occupation_code"],
            levels=form.cleaned_data["levels"],
        ),
    )
    return _back_with_errors(request, form, "registry:institution", pk)


@login_required
@require_POST
def catalog_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    form = forms.CatalogForm(request.POST)
    _submit(
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
    return _back_with_errors(request, form, "registry:institution", pk)


def _back_with_errors(
    request: HttpRequest, form: django_forms.Form, view: str, pk: int
) -> HttpResponse:
    if form.errors:
        return render(
            request,
            "registry/form.html",
            {"form": form, "title": "提交有误", "readonly": True},
            status=422,
        )
    return redirect(view, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def teacher_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
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

        saved = _submit(form, save)
        if saved:
            return redirect("registry:teacher", pk=saved.pk)
    return render(request, "registry/form.html", {"form": form, "title": f"{inst.name} · 登记师资"})


@login_required
@require_http_methods(["GET", "POST"])
def site_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    inst = access_by_id(actor, selectors.institution_list(actor=actor), pk)
    form = forms.SiteForm(request.POST or None)
    if request.method == "POST":
        saved = _submit(
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


@login_required
@require_http_methods(["GET", "POST"])
def person_form(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
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

        saved = _submit(form, save)
        if saved:
            found = selectors.person_list(actor=actor).filter(pk=saved.pk).first()
            return (
                redirect("registry:person", pk=saved.pk)
                if found
                else redirect("registry:list", name="people")
            )
    return render(request, "registry/form.html", {"form": form, "title": "登记人员"})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
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

        if _submit(form, save):
            return redirect("registry:person", pk=person.pk)
    return render(request, "registry/form.html", {"form": form, "title": f"编辑人员 · {person}"})


@login_required
@require_http_methods(["GET", "POST"])
def sanction_form(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
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

        saved = _submit(form, save)
        if saved:
            return redirect("registry:sanction", pk=saved.pk)
    return render(request, "registry/form.html", {"form": form, "title": f"{inst.name} · 处理措施"})


@login_required
@require_POST
def sanction_lift(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    form = forms.LiftForm(request.POST)
    _submit(
        form,
        lambda: services.sanction_lift(
            actor=actor,
            sanction_id=pk,
            lifted_on=form.cleaned_data["lifted_on"],
            reason=form.cleaned_data["reason"],
        ),
    )
    return _back_with_errors(request, form, "registry:sanction", pk)


# --- import ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = forms.ImportForm(
        request.POST or None,
        request.FILES or None,
        institutions=selectors.institution_list(actor=actor),
        initial={"kind": request.GET.get("kind", ImportJob.Kind.PEOPLE)},
    )
    if request.method == "POST":

        def save() -> ImportJob:
            d = form.cleaned_data
            upload = d["file"]
            return imports.import_upload(
                actor=actor,
                kind=d["kind"],
                filename=upload.name,
                content=upload.read(),
                institution_id=d["institution"].pk if d["institution"] else None,
                roster_title=d["roster_title"],
            )

        job = _submit(form, save)
        if job:
            return redirect("registry:import_job", pk=job.pk)
    return render(request, "registry/import.html", {"form": form, "kinds": ImportJob.Kind.choices})


@login_required
@require_http_methods(["GET", "POST"])
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    job = selectors.import_job_for(actor=actor, job_id=pk)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "discard":
                job = imports.import_discard(actor=actor, job_id=job.pk)
            else:
                job = imports.import_confirm(
                    actor=actor,
                    job_id=job.pk,
                    good_rows_only=request.POST.get("good_rows_only") == "1",
                )
        except DomainError as e:
            error = e
            job = selectors.import_job_for(actor=actor, job_id=pk)
    errors = Paginator(job.errors, 200).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "job": job,
        "errors": errors,
        "error": error,
        "summary": imports.describe_result(job.result),
        "failed_commit": job_failure(actor=actor, job_id=job.commit_job_id),
    }
    # The job at work (it polls), or else the last one that ran (its final figures).
    shown = job.current_job_id or job.commit_job_id or job.validation_job_id
    if shown is not None:
        progress = job_page_context(actor=actor, job_id=shown)
        # Embedded in the import's own page: no link back to it.
        context.update(progress, progress_job=progress["job"], job=job, reload=True, next_step=None)
    return render(request, "registry/import_job.html", context)


@login_required
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.import_job_for(actor=_actor(request), job_id=pk)
    return _download(imports.errors_xlsx(job), f"导入错误明细-{job.pk}.xlsx", XLSX)


@login_required
def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    spec = imports.kind_of(kind)
    if fmt == "csv":
        return _download(
            imports.template_csv(kind), f"{spec.title}导入模板.csv", "text/csv; charset=utf-8"
        )
    return _download(imports.template_xlsx(kind), f"{spec.title}导入模板.xlsx", XLSX)
