"""Importing registry files (.xlsx/.csv): the upload form, an import's page (validation and
commit run as background jobs, shown with their progress), its error list and the blank
templates."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from chizheng.core.errors import DomainError
from chizheng.jobs.selectors import job_failure
from chizheng.jobs.views import job_page_context

from .. import forms, imports, selectors
from ..models import ImportJob
from .common import XLSX, actor_of, download, submit


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
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

        job = submit(form, save)
        if job:
            return redirect("registry:import_job", pk=job.pk)
    return render(request, "registry/import.html", {"form": form, "kinds": ImportJob.Kind.choices})


@login_required
@require_http_methods(["GET", "POST"])
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
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
    job = selectors.import_job_for(actor=actor_of(request), job_id=pk)
    return download(imports.errors_xlsx(job), f"导入错误明细-{job.pk}.xlsx", XLSX)


@login_required
def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    spec = imports.kind_of(kind)
    if fmt == "csv":
        return download(
            imports.template_csv(kind), f"{spec.title}导入模板.csv", "text/csv; charset=utf-8"
        )
    return download(imports.template_xlsx(kind), f"{spec.title}导入模板.xlsx", XLSX)
