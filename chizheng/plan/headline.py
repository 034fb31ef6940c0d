"""The plan's headline for a home page: its first indicator in the actor's scope, against
the calendar, with the counties lagging (the dashboard's figures, one indicator only)."""

from __future__ import annotations

import datetime as dt

from chizheng.accounts.models import User
from chizheng.core.errors import NotFound

from .selectors import plan_for_year, plan_progress


def plan_headline(*, actor: User, today: dt.date) -> str:
    """The plan's first indicator in the actor's scope, for his home: done against its
    target, the calendar's share, and the counties lagging ("" without a plan)."""
    try:
        plan = plan_for_year(actor=actor, year=today.year)
    except NotFound:
        return ""
    progress = plan_progress(actor=actor, plan=plan, until=today, first_only=True)
    if not progress.indicators:
        return ""
    first = progress.indicators[0]
    cell = first.city
    if cell.share_done is None:
        return f"{first.indicator.name} {cell.actual:g} {first.indicator.unit}"
    lagging = sum(1 for c in first.counties.values() if c.flag == "lagging")
    return (
        f"{first.indicator.name}完成 {cell.share_done:.0%}（时序进度 {progress.expected:.0%}）"
        + (f"，{lagging} 个县（市、区）滞后" if lagging and progress.is_city else "")
    )
