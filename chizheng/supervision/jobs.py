"""The supervision area's nightly job: the scan of the current year (``services.scan``),
idempotent (a re-scan replaces the year's open findings)."""

from __future__ import annotations

from chizheng.core import clock
from chizheng.jobs.kinds import Outcome
from chizheng.jobs.models import Job
from chizheng.jobs.progress import Progress

from . import services


def scan(job: Job, progress: Progress) -> Outcome:
    # the nightly job names its day; a job started by hand may name the year
    day = str(job.params.get("day") or clock.today().isoformat())
    year = int(job.params.get("year") or day[:4])
    progress.set_total(1)
    result = services.scan(year=year)
    progress.set_done(1)
    found = len({f.key for f in result.found})
    return Outcome(
        message=f"{year}年度监督核查：线索 {found} 条（新增 {result.added}，移除 {result.removed}）",
        summary={"year": year, "found": found, "added": result.added, "removed": result.removed},
    )
