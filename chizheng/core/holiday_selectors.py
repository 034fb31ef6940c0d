"""Reads of the holiday calendar: which years deadlines can count in, a year's arrangement
with its check and history, and the warning the office home pages show from 1 November
when next year is still unknown.

The calendar is national reference data (``Scope(reference=True)``): every office reads
all of it; only the city office edits (``calendar.edit``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from chizheng.accounts.access import can, require, visible
from chizheng.accounts.models import User
from chizheng.rules import params
from chizheng.rules.holiday_schedule import Block, Checked, Holiday

from .calendar import calendar
from .holiday_services import blocks_of, check_year, editable_years, holidays_of, package_last_year
from .models import AuditEvent, HolidayYear


@dataclass(frozen=True)
class NextYearWarning:
    year: int
    since: dt.date  # the day the reminder starts (the policy's date in the year)
    may_edit: bool  # the city office gets the link to enter it


def next_year_warning(*, actor: User, today: dt.date) -> NextYearWarning | None:
    """A warning, from the reminder date on while next year is unknown, for the offices whose
    work runs on working-day deadlines (``calendar.remind``)."""
    if not can(actor, "calendar.remind"):
        return None
    month, day = (
        int(x)
        for x in str(params.current().value("calendar.next_year_reminder_from", today)).split("-")
    )
    since = dt.date(today.year, month, day)
    if today < since or calendar().knows(today.year + 1):
        return None
    return NextYearWarning(today.year + 1, since, can(actor, "calendar.edit"))


@dataclass(frozen=True)
class YearRow:
    year: int
    source: str  # 'package' or the entered year's status label
    entered: HolidayYear | None


@dataclass
class Overview:
    first_known: int
    last_package: int
    rows: list[YearRow]
    editable: list[int]
    may_edit: bool


def calendar_overview(*, actor: User, today: dt.date) -> Overview:
    require(actor, "policy.view")
    import chinese_calendar

    entered = {y.year: y for y in visible(actor, HolidayYear.objects.all()).order_by("year")}
    first = min(d.year for d in chinese_calendar.holidays)
    last = package_last_year()
    rows = [YearRow(y, "package", None) for y in range(max(first, today.year - 1), last + 1)]
    rows += [YearRow(y, h.get_status_display(), h) for y, h in sorted(entered.items())]
    return Overview(
        first_known=first,
        last_package=last,
        rows=rows,
        editable=[y for y in editable_years(today) if y not in entered],
        may_edit=can(actor, "calendar.edit"),
    )


@dataclass
class YearDetail:
    year: int
    holidays: list[Holiday]
    entered: HolidayYear | None
    blocks: list[Block]
    checked: Checked
    history: list[AuditEvent] = field(default_factory=list)
    may_edit: bool = False


def holiday_year_detail(*, actor: User, year: int) -> YearDetail:
    require(actor, "policy.view")
    entered = visible(actor, HolidayYear.objects.filter(year=year)).first()
    blocks = blocks_of(entered) if entered else []
    history = (
        list(
            AuditEvent.objects.filter(
                object_type=HolidayYear._meta.label_lower, object_id=str(entered.pk)
            ).order_by("-seq")[:100]
        )
        if entered
        else []
    )
    return YearDetail(
        year=year,
        holidays=holidays_of(year),
        entered=entered,
        blocks=blocks,
        checked=check_year(year, blocks),
        history=history,
        may_edit=can(actor, "calendar.edit"),
    )
