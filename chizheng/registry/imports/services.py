"""The services of an import, each step a background job with progress: ``import_upload``
keeps the file (encrypted) and queues ``run_validation``, which checks every row and writes
nothing but the import and its report; ``import_confirm`` queues ``run_commit``, which
writes all rows or none (or the good rows only, if the user chose so); ``import_discard``;
``import_file`` runs both steps here and now (the CLI); ``describe_result`` tells the counts.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from django.db import transaction

from chizheng.accounts.access import access_by_id, can, require
from chizheng.accounts.models import User
from chizheng.core import audit, inputs
from chizheng.core.errors import DomainError, PermissionDenied, ValidationError

from ..import_flow import IMPORT_FLOW
from ..models import ImportJob, Institution
from ..selectors import import_job_for
from .checking import OnRows, check_file, count_rows
from .context import _context
from .schemas import kind_of
from .stored import _pack, _unpack
from .writer import apply_institutions, apply_people, apply_roster, apply_teachers

if TYPE_CHECKING:
    from chizheng.jobs.models import Job
    from chizheng.jobs.progress import Progress


# An upload is kept (encrypted, base64) until its job has checked it: 200,000 full rows of the
# template are about 40 MB as .xlsx.
MAX_UPLOAD_BYTES = 100 * 1024 * 1024


class ImportHasErrors(DomainError):
    code = "import_has_errors"
    http_status = 422


def _permit(actor: User, kind: str, institution: Institution | None) -> None:
    if kind == ImportJob.Kind.ROSTER:
        if institution is None:
            raise ValidationError(
                "请选择花名册所属机构",
                message_en="choose the institution",
                detail={"field": "institution"},
            )
        if not (can(actor, "class.apply") or can(actor, "registry.edit")):
            raise PermissionDenied("您的角色无权导入花名册", message_en="may not import rosters")
        return
    require(actor, "registry.edit")


def _start(*, actor: User | None, kind: str, import_job: ImportJob, attempt: int = 0) -> Job:
    from chizheng.jobs.services import job_start

    return job_start(
        actor=actor,
        kind=kind,
        params={"import_job": import_job.pk},
        idempotency_key=f"{kind}:{import_job.pk}:{attempt}",
        total=import_job.total_rows if kind == COMMIT_JOB else None,
    )


VALIDATE_JOB = "registry.import.validate"
COMMIT_JOB = "registry.import.commit"


@transaction.atomic
def import_upload(
    *,
    actor: User,
    kind: str,
    filename: str,
    content: bytes,
    institution_id: int | None = None,
    roster_title: str = "",
) -> ImportJob:
    """Keep an uploaded file (encrypted) and queue the job that checks every row of it.
    What can be told at once (kind, permission, file type and size, the names) is refused
    here."""
    kind_of(kind)
    inputs.check_text(filename, field="file", label="文件名")
    inputs.check_text(roster_title, field="roster_title", label="花名册名称", max_length=100)
    institution = (
        access_by_id(actor, Institution.objects.all(), institution_id) if institution_id else None
    )
    _permit(actor, kind, institution)
    if not filename.lower().endswith((".xlsx", ".csv")):
        raise ValidationError(
            "只支持 .xlsx 或 .csv 文件", message_en="only .xlsx or .csv", code="import_unreadable"
        )
    if not content:
        raise ValidationError("文件为空", message_en="empty file", code="import_unreadable")
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"文件不能超过{MAX_UPLOAD_BYTES // (1024 * 1024)}MB，请分批导入",
            message_en="file too large",
            code="import_too_large",
        )
    if kind == ImportJob.Kind.ROSTER and not roster_title.strip():
        roster_title = f"花名册 {filename}"
    job = ImportJob.objects.create(
        kind=kind,
        filename=filename[:200],
        content=base64.b64encode(content).decode("ascii"),
        institution=institution,
        roster_title=roster_title.strip()[:100],
        created_by=actor,
    )
    job.validation_job = _start(actor=actor, kind=VALIDATE_JOB, import_job=job)
    job.save(update_fields=["validation_job"])
    audit.record(actor=actor, action=f"import.{kind}.upload", obj=job, after={"filename": filename})
    return job


def run_validation(*, import_job_id: int, progress: Progress) -> ImportJob:
    """The checking job: read the file, check every row, keep the clean rows (encrypted).
    Writes no registry data. Run again on an import already checked, it does nothing."""
    job = ImportJob.objects.select_related("created_by", "institution").get(pk=import_job_id)
    if job.status != ImportJob.Status.VALIDATING:
        return job
    spec = kind_of(job.kind)
    content = base64.b64decode(job.content)
    ctx = _context(job.created_by, job.institution)
    try:
        progress.set_total(count_rows(content, job.filename))
        checked = check_file(
            kind=spec, content=content, filename=job.filename, ctx=ctx, on_rows=progress.set_done
        )
    except DomainError as e:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=import_job_id)
            if job.status == ImportJob.Status.VALIDATING:
                job.errors = [{"row": 0, "column": "", "reason": e.message}]
                job.content = ""
                job.save(update_fields=["errors", "content"])
                IMPORT_FLOW.fire(job, "unreadable", actor=None, reason=e.message)
        raise
    progress.set_done(checked.total)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=import_job_id)
        if job.status != ImportJob.Status.VALIDATING:
            return job
        job.content = _pack(checked.good)
        job.total_rows = checked.total
        job.bad_rows = checked.bad_rows
        job.errors = [e.as_dict() for e in checked.errors]
        job.save(update_fields=["content", "total_rows", "bad_rows", "errors"])
        IMPORT_FLOW.fire(job, "checked", actor=None)
        audit.record(
            actor=job.created_by,
            action=f"import.{job.kind}.validate",
            obj=job,
            after={"filename": job.filename, "rows": checked.total, "bad_rows": checked.bad_rows},
        )
    return job


@transaction.atomic
def import_confirm(*, actor: User, job_id: int, good_rows_only: bool = False) -> ImportJob:
    """Queue the writing of a checked file: all of it, or — if the user chose so — its good
    rows only. A second confirmation (a double click) is refused: the file goes in once."""
    job = import_job_for(actor=actor, job_id=job_id)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportJob.Status.VALIDATED:
        raise ValidationError(
            f"该导入任务{job.get_status_display()}，不能再次导入",
            message_en="job already used",
            code="import_used",
        )
    _permit(actor, job.kind, job.institution)
    if job.bad_rows and not good_rows_only:
        raise ImportHasErrors(
            f"文件有{job.bad_rows}行错误，未导入任何数据。请修改后重新上传，或选择“仅导入无误的行”",
            message_en=f"{job.bad_rows} bad rows: nothing imported",
            detail={"bad_rows": job.bad_rows, "errors": job.errors[:1000]},
        )
    job.good_rows_only = good_rows_only
    job.save(update_fields=["good_rows_only"])
    IMPORT_FLOW.fire(job, "confirm", actor=actor, reason="仅导入无误的行" if good_rows_only else "")
    attempt = job.transitions.filter(name="confirm").count()
    job.commit_job = _start(actor=actor, kind=COMMIT_JOB, import_job=job, attempt=attempt)
    job.save(update_fields=["commit_job"])
    return job


def run_commit(*, import_job_id: int, actor: User, progress: Progress) -> ImportJob:
    """The writing job: all rows in one transaction, or none. The rows are checked again
    first (the registry may have changed since the upload). Run again — a retry after a
    crash, a second worker — it writes nothing twice: an import already written is left
    as it is, and one that crashed midway was rolled back whole."""
    job = ImportJob.objects.select_related("institution").get(pk=import_job_id)
    if job.status != ImportJob.Status.IMPORTING:
        return job
    spec = kind_of(job.kind)
    ctx = _context(actor, job.institution)
    checked = _unpack(spec, job.content, ctx)
    progress.set_total(len(checked.good))
    refused: ImportHasErrors | None = None
    with transaction.atomic():
        # (No join: PostgreSQL refuses FOR UPDATE on the nullable side of one.)
        job = ImportJob.objects.select_for_update().get(pk=import_job_id)
        if job.status != ImportJob.Status.IMPORTING:
            return job  # written by an earlier run: nothing to do
        _permit(actor, job.kind, job.institution)
        if checked.errors:
            # Rows that were good at upload but refer to what has changed since.
            job.errors = sorted(
                [*job.errors, *(e.as_dict() for e in checked.errors)], key=lambda e: e["row"]
            )
            job.bad_rows = len({e["row"] for e in job.errors})
            job.save(update_fields=["errors", "bad_rows"])
            if not job.good_rows_only:
                IMPORT_FLOW.fire(job, "sent_back", actor=None, reason="上传校验后数据发生变化")
                refused = ImportHasErrors(
                    f"上传校验后有{len(checked.errors)}处数据发生变化，未导入任何数据，请重新上传",
                    message_en="the registry changed since the upload: nothing imported",
                    detail={"bad_rows": job.bad_rows, "errors": job.errors[:1000]},
                )
        if refused is None:
            result = _apply(actor, job, checked.good, progress.set_done)
            result["skipped_bad_rows"] = job.bad_rows
            job.result = result
            job.content = ""
            job.save(update_fields=["result", "content"])
            IMPORT_FLOW.fire(job, "written", actor=None)
            audit.record(
                actor=actor,
                action=f"import.{job.kind}",
                obj=job,
                after={"filename": job.filename, "rows": job.total_rows, **result},
            )
    if refused is not None:
        raise refused
    return job


def _apply(
    actor: User, job: ImportJob, rows: list[dict[str, Any]], on_rows: OnRows
) -> dict[str, Any]:
    if job.kind == ImportJob.Kind.PEOPLE:
        out = apply_people(actor=actor, rows=rows, update_existing=True, on_rows=on_rows)
        out.pop("_ids")
        return out
    if job.kind == ImportJob.Kind.INSTITUTIONS:
        return apply_institutions(actor=actor, rows=rows, on_rows=on_rows)
    if job.kind == ImportJob.Kind.TEACHERS:
        return apply_teachers(actor=actor, rows=rows, on_rows=on_rows)
    assert job.institution is not None
    return apply_roster(
        actor=actor,
        rows=rows,
        institution=job.institution,
        title=job.roster_title,
        on_rows=on_rows,
    )


@transaction.atomic
def import_discard(*, actor: User, job_id: int) -> ImportJob:
    job = import_job_for(actor=actor, job_id=job_id)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status == ImportJob.Status.VALIDATED:
        job.content = ""
        job.save(update_fields=["content"])
        IMPORT_FLOW.fire(job, "discard", actor=actor)
    return job


def import_file(
    *,
    actor: User,
    kind: str,
    filename: str,
    content: bytes,
    good_rows_only: bool = False,
    institution_id: int | None = None,
    roster_title: str = "",
) -> ImportJob:
    """Upload, check and, if clean (or if the good rows are wanted), write — here and now,
    through the same jobs a worker would run (the CLI)."""
    from chizheng.jobs.worker import Worker

    worker = Worker()
    job = import_upload(
        actor=actor,
        kind=kind,
        filename=filename,
        content=content,
        institution_id=institution_id,
        roster_title=roster_title,
    )
    _raise_if_failed(worker.run_now(_job_of(job.validation_job_id)))
    job.refresh_from_db()
    if job.bad_rows and not good_rows_only:
        return job
    job = import_confirm(actor=actor, job_id=job.pk, good_rows_only=good_rows_only)
    _raise_if_failed(worker.run_now(_job_of(job.commit_job_id)))
    job.refresh_from_db()
    return job


def _job_of(job_id: int | None) -> Job:
    from chizheng.jobs.models import Job

    assert job_id is not None
    return Job.objects.get(pk=job_id)


def _raise_if_failed(job: Job) -> None:
    if job.state == "failed":
        raise ValidationError(job.error_message, code=job.error_code or "import_failed")


RESULT_LABELS = {
    "created": "新增",
    "updated": "更新",
    "unchanged": "未变化",
    "filed": "办理备案",
    "people_created": "新增人员",
    "people_updated": "更新人员",
    "entries_added": "花名册新增",
    "occupations_added": "新增任教职业",
    "certificates_added": "新增证书",
    "not_updated_out_of_scope": "非本辖区未更新",
    "skipped_bad_rows": "跳过有误行",
}


def describe_result(result: dict[str, Any]) -> str:
    """The counts of an import, in Chinese, for the page."""
    return "，".join(
        f"{label} {result[key]}" for key, label in RESULT_LABELS.items() if key in result
    )
