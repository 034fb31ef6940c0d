"""Job pages: one's jobs (and for city officials the city's), one job with a progress bar
that refreshes itself (HTMX polls a small fragment), its log, its file and its error."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.registry.tables import Col, Table, export_xlsx

from . import selectors
from .kinds import KINDS, label
from .models import Job, JobState

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Where a finished job's user goes next: (page, what the link says).
NEXT_STEP: dict[str, Callable[[Job], tuple[str, str]]] = {
    "registry.import.validate": lambda j: (
        reverse("registry:import_job", args=[j.params["import_job"]]),
        "查看校验结果，确认导入",
    ),
    "registry.import.commit": lambda j: (
        reverse("registry:import_job", args=[j.params["import_job"]]),
        "查看导入结果",
    ),
    "online.audit": lambda j: (reverse("online:dashboard"), "查看线上平台无效学时占比"),
}


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _context(actor: User, job: Job) -> dict[str, object]:
    spec = KINDS.get(job.kind)
    next_step = NEXT_STEP.get(job.kind)
    return {
        "job": job,
        "kind_label": label(job.kind),
        "unit": spec.unit if spec else "",
        "log": selectors.job_log(job=job),
        "may_download": selectors.may_download(actor=actor, job=job),
        "file_name": selectors.file_name(job=job),
        "next_step": next_step(job) if next_step and job.state == JobState.SUCCEEDED else None,
    }


def job_page_context(*, actor: User, job_id: int) -> dict[str, object]:
    """What ``jobs/_progress.html`` needs, for a page that embeds a job's progress."""
    return _context(actor, selectors.job_for(actor=actor, job_id=job_id))


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    job = selectors.job_for(actor=actor, job_id=pk)
    return render(request, "jobs/detail.html", _context(actor, job))


@login_required
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The fragment the page polls; once the job is over, a page that shows more than the
    fragment (``?reload=1``) is reloaded whole."""
    actor = _actor(request)
    job = selectors.job_for(actor=actor, job_id=pk)
    response = render(
        request,
        "jobs/_progress.html",
        {**_context(actor, job), "reload": request.GET.get("reload") == "1"},
    )
    if job.finished and request.GET.get("reload") == "1" and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
def job_file(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.job_file(actor=_actor(request), job_id=pk)
    if found is None:
        raise Http404
    response = HttpResponse(bytes(found.data), content_type=found.content_type)
    ascii_name = re.sub(r"[^A-Za-z0-9_.-]", "_", found.filename)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(found.filename)}"
    )
    return response


JOB_TABLE = Table(
    name="jobs",
    title="后台任务",
    query=lambda actor, params: selectors.job_list(
        actor=actor, kind=params.get("kind", ""), state=params.get("state", "")
    ),
    columns=(
        Col("编号", lambda j: j.pk),
        Col("任务", lambda j: label(j.kind)),
        Col("状态", lambda j: j.get_state_display()),
        Col("已处理", lambda j: j.rows_done),
        Col("总数", lambda j: j.rows_total if j.rows_total is not None else ""),
        Col("发起人", lambda j: str(j.created_by) if j.created_by else "系统"),
        Col("创建时间", lambda j: clock_text(j.created_at)),
        Col("结束时间", lambda j: clock_text(j.finished_at)),
        Col("结果", lambda j: j.message or j.error_message),
    ),
)


def clock_text(moment: object) -> str:
    from django.utils import timezone

    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")  # type: ignore[arg-type]


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    qs = JOB_TABLE.query(actor, request.GET)
    if request.GET.get("format") == "xlsx":
        body = export_xlsx(JOB_TABLE, qs.iterator(chunk_size=2000))
        name = f"后台任务-{clock.today():%Y%m%d}.xlsx"
        response = HttpResponse(body, content_type=XLSX)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "jobs/list.html",
        {
            "page": page,
            "jobs": [(j, label(j.kind)) for j in page.object_list],
            "kinds": sorted((k.name, k.label) for k in KINDS.values()),
            "states": JobState.choices,
            "kind": request.GET.get("kind", ""),
            "state": request.GET.get("state", ""),
            "params": params.urlencode(),
        },
    )
