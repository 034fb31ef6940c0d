"""Queuing the export of a registry list too long to write within a request (a background
job applies the list's filters with the actor's scope).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from chizheng.accounts.models import User
from chizheng.core.errors import ValidationError

if TYPE_CHECKING:
    from chizheng.jobs.models import Job


def export_start(*, actor: User, table: str, filters: Mapping[str, str]) -> Job:
    """Queue the export of a long list: the list's own filters only, as given (the job
    applies them with the actor's scope, as the page does)."""
    from chizheng.jobs.services import job_start

    from ..tables import tables_for

    spec = tables_for(actor).get(table)
    if spec is None:
        raise ValidationError("没有这个列表", message_en="no such list", detail={"name": table})
    kept = {}
    for f in spec.filters:
        value = str(filters.get(f.name, "")).strip()
        if value and len(value) <= 200 and value.isprintable():
            kept[f.name] = value
    return job_start(actor=actor, kind="registry.export", params={"table": table, "filters": kept})
