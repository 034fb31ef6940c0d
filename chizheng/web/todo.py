"""An official's to-do list (待办, issue 16: a workbench ordered by deadline): the review steps
of class applications and subsidy claims waiting on him, the earliest deadline first, each
with the working days left on the office's calendar (negative: overdue)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

from chizheng.accounts.models import User
from chizheng.core.calendar import calendar
from chizheng.core.review import may_take, open_steps_for
from chizheng.subsidy.services import REVIEW_CHAIN as CLAIM_CHAIN
from chizheng.training.selectors import review_queue

SHOWN = 15  # rows on the home page; the queues list the rest


@dataclass(frozen=True)
class Todo:
    what: str  # 开班申请 / 补贴申领
    step: str  # 行业部门初审 …
    subject: str  # the class's batch and institution, or the claim's title
    url: str
    due_on: dt.date
    working_days_left: int  # on the calendar (negative: working days overdue)
    overdue: bool  # past its day


def todo_list(*, actor: User, today: dt.date) -> tuple[list[Todo], int]:
    """The first ``SHOWN`` steps by deadline and how many there are in all: the class steps of
    the review queue (``training.selectors.review_queue``), the claims' steps, the calendar."""
    rows: list[tuple[dt.date, str, str, str, str]] = []
    for item in review_queue(actor=actor, today=today):  # the class steps, as the queue has them
        c = item.training_class
        rows.append(
            (
                item.review.due_on,
                "开班申请",
                str(item.review),
                f"{c.batch} · {c.institution.name}",
                reverse("training:detail", args=[c.pk]),
            )
        )
    claims = (
        open_steps_for(actor=actor, chain=CLAIM_CHAIN)
        .select_related("claim__training_class", "claim__person")
        .defer("claim__calculation")
        .order_by("due_on", "id")[:500]
    )
    for step in claims:
        if may_take(actor, CLAIM_CHAIN, step, step.claim):
            rows.append(
                (
                    step.due_on,
                    "补贴申领",
                    str(step),
                    step.claim.title,
                    reverse("subsidy:detail", args=[step.claim_id]),
                )
            )
    rows.sort(key=lambda row: (row[0], row[1], row[3]))
    cal = calendar() if rows else None
    out = [
        Todo(what, step, subject, url, due, cal.count(today, due) if cal else 0, due < today)
        for due, what, step, subject, url in rows[:SHOWN]
    ]
    return out, len(rows)


__all__ = ["SHOWN", "Todo", "todo_list"]
