"""Reading the policy for display (CLI, API, pages)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from chizheng.core import clock
from chizheng.rules import params


def policy_rows(*, at: dt.date | None = None, name: str | None = None) -> list[dict[str, Any]]:
    """Every parameter (or one) as in force on ``at``; raises if one has no value then."""
    policy = params.current()
    day = at or clock.today()
    chosen = [policy.parameter(name)] if name else list(policy)
    rows = []
    for p in chosen:
        v = p.version_at(day)
        rows.append(
            {
                "name": p.name,
                "description": p.description,
                "unit": p.unit,
                "value": p.typed(v.value),
                "clause": v.clause,
                "original": v.original,
                "source": v.source,
                "valid_from": v.valid_from,
                "until": v.until,
            }
        )
    return rows
