"""Starting a ledger export job (its filters checked as the page checks them)."""

from __future__ import annotations

from collections.abc import Mapping

from chizheng.accounts.access import require
from chizheng.accounts.models import User
from chizheng.jobs.models import Job


def export_start(*, actor: User, year: int, filters: Mapping[str, str]) -> Job:
    from chizheng.jobs.services import job_start

    from .dimensions import EVALUATION

    require(actor, "ledger.view", message="您的角色无权查看培训、评价台账")
    kept = {k: str(v) for k, v in filters.items() if k in EVALUATION}
    return job_start(actor=actor, kind="ledgers.export", params={"year": year, "filters": kept})
