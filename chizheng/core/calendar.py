"""The working-day calendar with what the city office entered: the years it entered from
the State Council's notice (once their check passed) and single-day overrides."""

from __future__ import annotations

import datetime as dt

from chizheng.rules import workdays

from .models import HolidayBlock, HolidayOverride, HolidayYear


def calendar() -> workdays.WorkdayCalendar:
    known = HolidayYear.Status.KNOWN
    extra: list[workdays.Override] = []
    for block in HolidayBlock.objects.filter(holiday_year__status=known):
        name = ",".join(block.holidays)
        day = block.first_off
        while day <= block.last_off:
            extra.append(workdays.Override(day, False, name))
            day += dt.timedelta(days=1)
        extra.extend(
            workdays.Override(dt.date.fromisoformat(d), True, name) for d in block.workdays
        )
    # Single-day corrections come last: they win over an entered year.
    extra.extend(workdays.Override(o.day, o.workday, o.name) for o in HolidayOverride.objects.all())
    years = HolidayYear.objects.filter(status=known).values_list("year", flat=True)
    return workdays.build(extra, years)
