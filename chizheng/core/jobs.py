"""The foundation's nightly job: checking the audit log's chain. A break fails the job with
the first broken row named, so that the city office sees it on the job list."""

from __future__ import annotations

from django.db import connection, transaction

from chizheng.core import audit
from chizheng.core.errors import DomainError
from chizheng.jobs.kinds import Outcome
from chizheng.jobs.models import Job
from chizheng.jobs.progress import Progress


class AuditChainBroken(DomainError):
    code = "audit_chain_broken"
    http_status = 409


def audit_verify(job: Job, progress: Progress) -> Outcome:
    # One snapshot for the walk and the head: events appended meanwhile (the site is in use
    # at night too) would otherwise look like rows missing from the end.
    fresh = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and fresh:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        checked, broken = audit.verify()
    progress.set_total(checked)
    progress.set_done(checked)
    if broken:
        raise AuditChainBroken(
            f"审计日志校验失败：{broken.problem}（第{broken.seq}条）",
            message_en=broken.problem_en,
            detail={"seq": broken.seq, "checked": checked},
        )
    return Outcome(
        message=f"审计日志完整：{checked} 条记录，哈希链无断裂", summary={"rows": checked}
    )
