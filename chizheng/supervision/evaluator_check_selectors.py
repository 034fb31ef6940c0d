"""Reads of the evaluation institutions' special checks, scoped: a period's checks and how
many of them are done, due or overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from chizheng.accounts.access import visible
from chizheng.accounts.models import User

from .models import EvaluatorCheck


def evaluator_check_list(
    *, actor: User, year: int, half: int, state: str = ""
) -> QuerySet[EvaluatorCheck]:
    qs = visible(
        actor,
        EvaluatorCheck.objects.filter(year=year, half=half).select_related(
            "evaluator", "county", "inspector", "sanction"
        ),
    )
    return qs.filter(state=state) if state else qs


def evaluator_check_get(*, actor: User, check_id: int) -> EvaluatorCheck:
    from chizheng.accounts.access import access_by_id

    return access_by_id(
        actor,
        EvaluatorCheck.objects.select_related("evaluator", "county", "inspector", "sanction"),
        check_id,
    )


@dataclass(frozen=True)
class Coverage:
    planned: int
    done: int
    overdue: int  # planned, not done, past the period's end

    @property
    def share(self) -> float:
        return self.done / self.planned if self.planned else 0.0


def coverage(*, actor: User, year: int, half: int, today: dt.date) -> Coverage:
    qs = evaluator_check_list(actor=actor, year=year, half=half)
    done = qs.filter(state=EvaluatorCheck.State.DONE).count()
    overdue = qs.filter(state=EvaluatorCheck.State.PLANNED, due_on__lt=today).count()
    return Coverage(qs.count(), done, overdue)
