"""The registry's background jobs: checking and writing an import, and exporting a list too
long to write within a request."""

from __future__ import annotations

from django.http import QueryDict

from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.core.errors import ValidationError
from chizheng.jobs.kinds import Outcome, OutFile
from chizheng.jobs.models import Job
from chizheng.jobs.progress import Progress

from . import imports
from .models import ImportJob
from .tables import XLSX, export_xlsx, tables_for


def _starter(job: Job) -> User:
    if job.created_by is None:
        raise ValidationError("该任务没有发起人", message_en="the job has no starter")
    return job.created_by


def validate_import(job: Job, progress: Progress) -> Outcome:
    checked = imports.run_validation(import_job_id=job.params["import_job"], progress=progress)
    return Outcome(
        message=f"共 {checked.total_rows} 行数据，其中有误 {checked.bad_rows} 行"
        + ("，请确认是否导入" if checked.status == ImportJob.Status.VALIDATED else ""),
        summary={"rows": checked.total_rows, "bad_rows": checked.bad_rows},
    )


def commit_import(job: Job, progress: Progress) -> Outcome:
    written = imports.run_commit(
        import_job_id=job.params["import_job"], actor=_starter(job), progress=progress
    )
    if written.status != ImportJob.Status.IMPORTED:
        raise ValidationError(
            f"该导入任务{written.get_status_display()}，未写入数据",
            message_en="the import is not to be written",
            code="import_used",
        )
    return Outcome(
        message=f"已导入：{imports.describe_result(written.result)}", summary=written.result
    )


def export_table(job: Job, progress: Progress) -> Outcome:
    """One registry list as .xlsx, with the starter's scope and filters (ID numbers masked)."""
    actor = _starter(job)
    name = job.params["table"]
    table = tables_for(actor).get(name)
    if table is None:
        raise ValidationError("没有这个列表", message_en="no such list", detail={"name": name})
    params = QueryDict(mutable=True)
    for key, value in job.params.get("filters", {}).items():
        params[key] = value
    qs = table.query(actor, params)
    progress.set_total(qs.count())
    body = export_xlsx(table, qs.iterator(chunk_size=2000), on_rows=progress.set_done)
    filename = f"{table.title}-{clock.today():%Y%m%d}.xlsx"
    return Outcome(
        message=f"已导出 {progress.done} 行",
        summary={"rows": progress.done},
        file=OutFile(filename, XLSX, body),
    )
