"""The subsidy area's nightly job: closing the voucher loop. Run twice on a day it changes
nothing the second time (it moves only vouchers still in the status it looks for)."""

from __future__ import annotations

import datetime as dt

from chizheng.jobs.kinds import Outcome
from chizheng.jobs.models import Job
from chizheng.jobs.progress import Progress

from . import services


def vouchers_sweep(job: Job, progress: Progress) -> Outcome:
    day = dt.date.fromisoformat(job.params["day"]) if job.params.get("day") else None
    n = services.vouchers_sweep(on=day)
    progress.set_total(n)
    progress.set_done(n)
    return Outcome(message=f"处理电子培训券 {n} 张", summary={"vouchers": n})
