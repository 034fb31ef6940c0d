"""The Chinese working-day calendar: statutory holidays and adjusted workdays (调休).

Pure Python (no Django). Days come from the ``chinesecalendar`` package, corrected or
extended by overrides (``policy/holidays/YEAR.yaml`` and the admin-editable table). A year
that neither knows raises ``CalendarUnknown``: a deadline is never computed on weekends
alone.

Conventions (§21 counts "N 个工作日"):
- ``add(start, n)``: the start day is not counted; 10 working days after 2022-09-28 is
  2022-10-17.
- ``count(start, end)``: working days after ``start`` up to and including ``end``, so
  ``count(d, add(d, n)) == n``.
- ``window(start, n)``: the inclusive window of a public notice that opens on ``start`` and
  must last ``n`` working days; a notice from 2022-09-29 for 5 working days ends 2022-10-10.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import chinese_calendar
import yaml

from chizheng.core.errors import DomainError

from .params import default_policy_dir


class CalendarUnknown(DomainError):
    code = "calendar_unknown"
    http_status = 422


def _package_years() -> frozenset[int]:
    return frozenset(d.year for d in chinese_calendar.holidays) | frozenset(
        d.year for d in chinese_calendar.workdays
    )


@dataclass(frozen=True)
class Override:
    day: dt.date
    workday: bool
    name: str = ""


@dataclass
class WorkdayCalendar:
    """``overrides`` win over the package; ``complete_years`` are years whose whole
    arrangement is in the overrides (weekends otherwise)."""

    overrides: Mapping[dt.date, bool] = field(default_factory=dict)
    complete_years: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        self._package_years = _package_years()

    def knows(self, year: int) -> bool:
        return year in self._package_years or year in self.complete_years

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year in self._package_years:
            return bool(chinese_calendar.is_workday(day))
        if day.year in self.complete_years:
            return day.weekday() < 5
        known = sorted(self._package_years | self.complete_years)
        raise CalendarUnknown(
            f"工作日历不包含{day.year}年的法定节假日安排（已知：{known[0]}–{known[-1]}年），"
            "请市人社局（领导小组办公室）在“工作日历”页面录入该年的节假日安排",
            message_en=(
                f"the working-day calendar does not know {day.year} "
                f"(known: {known[0]}–{known[-1]}); enter that year's holidays first"
            ),
            detail={"year": day.year},
        )

    def add(self, start: dt.date, n: int) -> dt.date:
        if n < 0:
            raise ValueError("n must be >= 0")
        day, left = start, n
        while left:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day

    def count(self, start: dt.date, end: dt.date) -> int:
        if end < start:
            return -self.count(end, start)
        total, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            total += self.is_workday(day)
        return total

    def window(self, start: dt.date, n: int) -> dt.date:
        """Last day of a window opening on ``start`` that holds ``n`` working days."""
        if n < 1:
            raise ValueError("n must be >= 1")
        first = start if self.is_workday(start) else self.add(start, 1)
        return self.add(first, n - 1)


def load_override_files(directory: Path | None = None) -> tuple[dict[dt.date, bool], set[int]]:
    base = directory or default_policy_dir() / "holidays"
    overrides: dict[dt.date, bool] = {}
    complete: set[int] = set()
    for f in sorted(base.glob("*.yaml")) if base.is_dir() else []:
        doc = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
        if doc.get("complete"):
            complete.add(int(doc["year"]))
        for item in doc.get("days") or []:
            overrides[item["date"]] = bool(item["workday"])
    return overrides, complete


def build(
    extra: Iterable[Override] = (), extra_complete_years: Iterable[int] = ()
) -> WorkdayCalendar:
    overrides, complete = load_override_files()
    for o in extra:
        overrides[o.day] = o.workday
    return WorkdayCalendar(overrides, frozenset(complete | set(extra_complete_years)))


@lru_cache(maxsize=1)
def default() -> WorkdayCalendar:
    """Package data plus the shipped override files (no database)."""
    return build()


def add(start: dt.date, n: int) -> dt.date:
    return default().add(start, n)


def count(start: dt.date, end: dt.date) -> int:
    return default().count(start, end)


def window(start: dt.date, n: int) -> dt.date:
    return default().window(start, n)
