"""The working-day calendar with the admin-entered overrides of the database."""

from __future__ import annotations

from chizheng.rules import workdays

from .models import HolidayOverride, HolidayYear


def calendar() -> workdays.WorkdayCalendar:
    extra = [workdays.Override(o.day, o.workday, o.name) for o in HolidayOverride.objects.all()]
    years = HolidayYear.objects.values_list("year", flat=True)
    return workdays.build(extra, years)
