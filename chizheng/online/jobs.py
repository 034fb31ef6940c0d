"""The online area's background job: the audit of every stored event (§20(3)) and bringing
its result into the system. Run again it gives the same result: the audit's file is
replaced atomically and ``apply_results`` replaces what the last result wrote."""

from __future__ import annotations

from chizheng.accounts.access import require
from chizheng.accounts.models import User
from chizheng.jobs.kinds import Outcome
from chizheng.jobs.models import Job
from chizheng.jobs.progress import Progress
from chizheng.jobs.services import job_start

from . import config, services

KIND = "online.audit"


def audit_start(*, actor: User) -> Job:
    """The city office starts the audit (the worker also runs it every night)."""
    require(actor, "online.manage")
    return job_start(actor=actor, kind=KIND)


def audit_and_apply(job: Job, progress: Progress) -> Outcome:
    progress.set_total(2)
    if not config.store().files():
        progress.set_done(2)
        return Outcome(message="尚无已接收的线上学习事件，无需审计", summary={"segments": 0})
    progress.log("审计全部已接收的线上学习事件（六类无效情形）")
    segments = services.audit_to_file(sources=[], out=config.latest_result())
    progress.set_done(1)
    progress.log(f"已审计 {segments} 个学习段，计入系统")
    applied = services.apply_results(actor=job.created_by, result_path=config.latest_result())
    progress.set_done(2)
    return Outcome(
        message=(
            f"已审计 {segments} 个学习段；有认定课时的学员 {applied.learners_credited} 人，"
            f"未对应到培训班的学员课程 {applied.unmatched_pairs} 个，平台日统计 {applied.platform_days} 条"
        ),
        summary={
            "segments": segments,
            "learners_credited": applied.learners_credited,
            "unmatched_pairs": applied.unmatched_pairs,
            "platform_days": applied.platform_days,
        },
    )
