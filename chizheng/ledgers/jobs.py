"""The export of a long certificate list of the evaluation ledger, as a background job with
progress (the starter's scope and filters, as the page shows them)."""

from __future__ import annotations

from chizheng.core import clock
from chizheng.core.errors import ValidationError
from chizheng.jobs.kinds import Outcome, OutFile
from chizheng.jobs.models import Job
from chizheng.jobs.progress import Progress

from .selectors import evaluation_certificates
from .tables import XLSX, certificates_xlsx


def export_certificates(job: Job, progress: Progress) -> Outcome:
    if job.created_by is None:
        raise ValidationError("该任务没有发起人", message_en="the job has no starter")
    qs = evaluation_certificates(
        actor=job.created_by, year=int(job.params["year"]), filters=job.params["filters"]
    ).select_related("person", "issuing_institution", "training_class")
    progress.set_total(qs.count())
    body = certificates_xlsx(qs.iterator(chunk_size=2000), on_rows=progress.set_done)
    return Outcome(
        message=f"已导出 {progress.done} 张证书",
        summary={"rows": progress.done},
        file=OutFile(f"评价台账证书清单-{clock.today():%Y%m%d}.xlsx", XLSX, body),
    )
