"""API of the plan: progress by county × indicator × month, scoped through the access layer."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from chizheng.accounts.models import User
from chizheng.api.types import Day, Year

from .selectors import Cell, plan_for_year, plan_progress

router = Router(tags=["plan"])


class CellOut(Schema):
    county: str | None
    target: str | None
    actual: str
    count: int
    share_done: str | None
    flag: str


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    clause: str
    available: bool
    todo: str
    total: CellOut
    counties: list[CellOut]
    months: dict[int, int]  # month -> records counted (the actor's scope)
    county_months: dict[str, dict[int, int]]  # county code -> month -> records


class ProgressOut(Schema):
    year: int
    until: dt.date
    expected: str
    indicators: list[IndicatorOut]


def _cell(cell: Cell, county: str | None) -> dict[str, object]:
    return {
        "county": county,
        "target": None if cell.target is None else str(cell.target),
        "actual": str(cell.actual),
        "count": cell.count,
        "share_done": None if cell.share_done is None else str(cell.share_done),
        "flag": cell.flag,
    }


@router.get("/progress", response=ProgressOut, summary="目标任务进度（按县、指标、月）")
def progress(
    request: HttpRequest, year: Year | None = None, until: Day | None = None
) -> dict[str, object]:
    actor = request.user
    assert isinstance(actor, User)
    plan = plan_for_year(actor=actor, year=year)
    p = plan_progress(actor=actor, plan=plan, until=until)
    codes = {c.pk: c.code for c in p.counties}
    return {
        "year": plan.year,
        "until": p.until,
        "expected": str(p.expected),
        "indicators": [
            {
                "code": ip.indicator.code,
                "name": ip.indicator.name,
                "unit": ip.indicator.unit,
                "clause": ip.indicator.clause,
                "available": ip.available,
                "todo": ip.todo,
                "total": _cell(ip.city, None),
                "counties": [_cell(ip.counties[c.pk], c.code) for c in p.counties],
                "months": ip.months,
                "county_months": {codes[k]: v for k, v in ip.county_months.items()},
            }
            for ip in p.indicators
        ],
    }
