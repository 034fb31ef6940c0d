"""The kinds of job: what each is called, which function runs it and what it counts.

A handler is ``(job, progress) -> Outcome`` in the app that owns the work (named by its
dotted path, so this module imports no app). Every handler is idempotent: run twice — a
retry after a crash, a second worker — it has its effect once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from .models import Job
    from .progress import Progress


@dataclass(frozen=True)
class OutFile:
    filename: str
    content_type: str
    data: bytes


@dataclass
class Outcome:
    message: str = ""  # Chinese, shown on the job's page
    summary: dict[str, Any] = field(default_factory=dict)
    file: OutFile | None = None


Handler = Callable[["Job", "Progress"], Outcome]


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # Chinese
    handler: str  # dotted path of the Handler
    unit: str = "行"  # what rows done / total count
    max_attempts: int = 3
    # The page a finished job points to next, reversed with the job's params (or "").
    next_step: str = ""

    def run(self, job: Job, progress: Progress) -> Outcome:
        handler: Handler = import_string(self.handler)
        return handler(job, progress)


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "registry.import.validate",
            "导入文件校验",
            "chizheng.registry.jobs.validate_import",
            next_step="registry:import_job",
        ),
        Kind(
            "registry.import.commit",
            "导入写入",
            "chizheng.registry.jobs.commit_import",
            next_step="registry:import_job",
        ),
        Kind("registry.export", "列表导出", "chizheng.registry.jobs.export_table"),
        Kind("training.export", "培训班列表导出", "chizheng.training.jobs.export_classes"),
        Kind("ledgers.export", "评价台账证书清单导出", "chizheng.ledgers.jobs.export_certificates"),
        Kind(
            "online.audit",
            "线上学习审计并计入系统",
            "chizheng.online.jobs.audit_and_apply",
            unit="步",
            next_step="online:dashboard",
        ),
        Kind(
            "subsidy.vouchers_sweep",
            "电子培训券闭环处理",
            "chizheng.subsidy.jobs.vouchers_sweep",
            unit="张",
        ),
        Kind("core.audit_verify", "审计日志校验", "chizheng.core.jobs.audit_verify", unit="条"),
        Kind("plan.tally_check", "目标进度统计核对", "chizheng.plan.jobs.tally_check", unit="年度"),
        Kind("supervision.scan", "监督核查交叉比对", "chizheng.supervision.jobs.scan", unit="年度"),
    )
}


def label(kind: str) -> str:
    found = KINDS.get(kind)
    return found.label if found else kind
