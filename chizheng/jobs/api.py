"""Jobs through the API: a machine that started an import or a long export polls its job
here and downloads the file (the same scoping as the pages)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from chizheng.accounts.models import User
from chizheng.api.pagination import Page, paginate
from chizheng.core.errors import NotFound

from . import selectors
from .kinds import label
from .models import Job, JobState

router = Router(tags=["后台任务"])


class JobOut(Schema):
    id: int
    kind: str
    kind_label: str
    state: str
    rows_done: int
    rows_total: int | None
    percent: int | None
    message: str
    error_code: str
    error_message: str
    attempts: int
    created_at: datetime
    finished_at: datetime | None
    has_file: bool


def job_out(j: Job) -> dict[str, Any]:
    return {
        "id": j.pk,
        "kind": j.kind,
        "kind_label": label(j.kind),
        "state": j.state,
        "rows_done": j.rows_done,
        "rows_total": j.rows_total,
        "percent": j.percent,
        "message": j.message,
        "error_code": j.error_code,
        "error_message": j.error_message,
        "attempts": j.attempts,
        "created_at": j.created_at,
        "finished_at": j.finished_at,
        "has_file": bool(getattr(j, "has_file", False)),
    }


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@router.get("/jobs", response=Page, summary="后台任务列表（本人发起的；全市用户含全市的）")
def jobs(
    request: HttpRequest, state: JobState | None = None, page: int = 1, page_size: int = 50
) -> dict[str, object]:
    qs = selectors.job_list(actor=_actor(request), state=state or "")
    count, items = paginate(qs, page=page, page_size=page_size)
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "items": [job_out(j) for j in items],
    }


@router.get("/jobs/{job_id}", response=JobOut, summary="后台任务：状态、进度、结果、错误")
def job(request: HttpRequest, job_id: int) -> dict[str, Any]:
    return job_out(selectors.job_for(actor=_actor(request), job_id=job_id))


@router.get("/jobs/{job_id}/file", summary="下载后台任务生成的文件")
def job_file(request: HttpRequest, job_id: int) -> HttpResponse:
    found = selectors.job_file(actor=_actor(request), job_id=job_id)
    if found is None:
        raise NotFound("该任务没有可下载的文件", message_en="no file", detail={"id": job_id})
    response = HttpResponse(bytes(found.data), content_type=found.content_type)
    response["Content-Disposition"] = f'attachment; filename="job-{job_id}.xlsx"'
    return response
