"""The training area's background job: an export of the class list too long to write in a
request (the list's filters, the starter's scope)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.core.errors import ValidationError
from chizheng.jobs.kinds import Outcome, OutFile
from chizheng.jobs.models import Job
from chizheng.jobs.progress import Progress
from chizheng.jobs.services import job_start
from chizheng.registry.tables import XLSX, export_xlsx

from . import selectors
from .exports import CLASS_TABLE

FILTERS = ("status", "q", "county", "overdue")


def export_start(*, actor: User, filters: Mapping[str, str]) -> Job:
    kept = {}
    for name in FILTERS:
        value = str(filters.get(name, "")).strip()
        if value and len(value) <= 200 and value.isprintable():
            kept[name] = value
    if kept.pop("overdue", "") == "1":
        kept["overdue_on"] = clock.today().isoformat()
    return job_start(actor=actor, kind="training.export", params={"filters": kept})


def export_classes(job: Job, progress: Progress) -> Outcome:
    if job.created_by is None:
        raise ValidationError("该任务没有发起人", message_en="the job has no starter")
    f = job.params.get("filters", {})
    qs = selectors.class_list(
        actor=job.created_by,
        status=f.get("status", ""),
        q=f.get("q", ""),
        county=f.get("county", ""),
        # overdue on the day the export was asked for
        overdue_on=dt.date.fromisoformat(f["overdue_on"]) if f.get("overdue_on") else None,
    )
    progress.set_total(qs.count())
    body = export_xlsx(CLASS_TABLE, qs.iterator(chunk_size=2000), on_rows=progress.set_done)
    return Outcome(
        message=f"已导出 {progress.done} 个培训班",
        summary={"rows": progress.done},
        file=OutFile(f"培训班-{clock.today():%Y%m%d}.xlsx", XLSX, body),
    )
