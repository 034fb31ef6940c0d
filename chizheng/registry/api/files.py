"""Files through the API: importing registry files (checked, then written, by background
jobs) and exporting a list to Excel (a long one as a background job)."""

from __future__ import annotations

from typing import Annotated, Any

from annotated_types import Ge, Le
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from chizheng.api.types import INT64_MAX, Choice, Id, Text
from chizheng.core.errors import NotFound

from .. import imports, selectors, services
from ..models import ImportJob
from ..tables import export_xlsx, tables_for
from .common import actor_of, operation_id

router = Router()


class ImportOut(Schema):
    id: int
    kind: str
    status: str
    total_rows: int
    bad_rows: int
    errors: list[dict[str, Any]]
    result: dict[str, Any]
    # The background job now checking or writing the file (GET /jobs/{id}), if any.
    job_id: int | None


def _job(j: ImportJob) -> dict[str, object]:
    return {
        "id": j.pk,
        "kind": j.kind,
        "status": j.status,
        "total_rows": j.total_rows,
        "bad_rows": j.bad_rows,
        "errors": j.errors,
        "result": j.result,
        "job_id": j.current_job_id,
    }


@router.post(
    "/imports",
    response={201: ImportOut},
    summary="上传导入文件（.xlsx/.csv）：后台逐行校验，状态为 validating，完成后为 validated",
    operation_id=operation_id("import_upload"),
)
def import_upload(
    request: HttpRequest,
    file: File[UploadedFile],
    kind: Annotated[str, Choice(ImportJob.Kind, "导入类型")] = Form(...),
    institution_id: Annotated[int, Ge(0), Le(INT64_MAX)] = Form(0),
    roster_title: Annotated[str, Text.of(ImportJob, "roster_title")] = Form(""),
) -> Status[dict[str, object]]:
    job = imports.import_upload(
        actor=actor_of(request),
        kind=kind,
        filename=file.name or "upload",
        content=file.read(),
        institution_id=institution_id or None,
        roster_title=roster_title,
    )
    return Status(201, _job(job))


class ConfirmIn(Schema):
    good_rows_only: bool = False


@router.post(
    "/imports/{job_id}/confirm",
    response={202: ImportOut},
    summary="确认导入（可选仅导入无误的行）：后台写入，状态为 importing，完成后为 imported",
    operation_id=operation_id("import_confirm"),
)
def import_confirm(request: HttpRequest, job_id: Id, body: ConfirmIn) -> Status[dict[str, object]]:
    return Status(
        202,
        _job(
            imports.import_confirm(
                actor=actor_of(request), job_id=job_id, good_rows_only=body.good_rows_only
            )
        ),
    )


@router.get(
    "/imports/{job_id}",
    response=ImportOut,
    summary="导入任务及错误明细",
    operation_id=operation_id("import_job"),
)
def import_job(request: HttpRequest, job_id: Id) -> dict[str, object]:
    return _job(selectors.import_job_for(actor=actor_of(request), job_id=job_id))


class JobRef(Schema):
    job_id: int
    state: str


@router.get(
    "/exports/{name}.xlsx",
    response={200: None, 202: JobRef},
    summary="导出列表为Excel（按权限范围，身份证号码脱敏）；行数多时返回 202 和后台任务编号，"
    "完成后从 /jobs/{id}/file 下载",
    operation_id=operation_id("export"),
)
def export(
    request: HttpRequest, name: Annotated[str, Text(40)]
) -> HttpResponse | Status[dict[str, object]]:
    actor = actor_of(request)
    table = tables_for(actor).get(name)
    if table is None:
        raise NotFound("没有这个列表", message_en="no such list", detail={"name": name})
    qs = table.query(actor, request.GET)
    if qs.count() > settings.EXPORT_DIRECT_MAX_ROWS:
        job = services.export_start(actor=actor, table=name, filters=request.GET)
        return Status(202, {"job_id": job.pk, "state": job.state})
    body = export_xlsx(table, qs.iterator(chunk_size=2000))
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
