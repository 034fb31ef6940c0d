"""A year's holiday arrangement (the State Council's notice) and the check that it is whole.

Pure Python (no Django). A year the ``chinesecalendar`` package does not know is entered by
the city office block by block, as the notice lists it: each block names the holidays it
covers (国庆节 and 中秋节 share one in some years), its days off (one run of days) and its
adjusted workdays (调休上班). The holidays a notice must arrange, with their statutory days,
are the policy parameter ``calendar.holidays`` in force on 1 January of the year.

``check`` lists every problem; a year is marked known only when there is none:
- every holiday is in exactly one block, and no block is empty;
- a block's days off are in order, fall in the year (元旦 may start in the last days of
  December before it), hold at least the statutory days of its holidays, and include the
  fixed date of a holiday that has one (1 January, 1 May, 1 October);
- every adjusted workday is a Saturday or Sunday, and no day is both off and worked;
- blocks do not overlap, and no adjusted workday is listed twice;
- any other day off entered for the year (single-day corrections) is a weekend day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Holiday:
    code: str
    name: str
    name_en: str
    days: int  # statutory days off
    fixed: tuple[int, int] | None = None  # (month, day) of a fixed-date holiday


def holidays_from(value: Mapping[str, Any]) -> list[Holiday]:
    """The holidays of the parameter ``calendar.holidays`` (its value), in its order."""
    out = []
    for code, h in value.items():
        fixed = None
        if h.get("fixed"):
            month, day = str(h["fixed"]).split("-")
            fixed = (int(month), int(day))
        out.append(Holiday(code, str(h["name"]), str(h["name_en"]), int(h["days"]), fixed))
    return out


@dataclass(frozen=True)
class Block:
    holidays: tuple[str, ...]  # codes of the holidays it covers
    first_off: dt.date
    last_off: dt.date
    workdays: tuple[dt.date, ...] = ()  # adjusted workdays (调休上班)

    def days_off(self) -> Iterator[dt.date]:
        day = self.first_off
        while day <= self.last_off:
            yield day
            day += dt.timedelta(days=1)

    @property
    def length(self) -> int:
        return (self.last_off - self.first_off).days + 1


@dataclass(frozen=True)
class Problem:
    code: str
    message: str  # Chinese
    message_en: str
    holiday: str = ""  # the code of the holiday it is about, if one


@dataclass
class Checked:
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, code: str, message: str, message_en: str, holiday: str = "") -> None:
        self.problems.append(Problem(code, message, message_en, holiday))


def show(day: dt.date) -> str:
    """``2027年1月1日（星期五）``: how the notice writes a date."""
    return f"{day.year}年{day.month}月{day.day}日（星期{WEEKDAYS[day.weekday()]}）"


def _names(codes: Iterable[str], by_code: Mapping[str, Holiday]) -> str:
    return "、".join(by_code[c].name if c in by_code else c for c in codes)


def earliest_day(year: int) -> dt.date:
    """A notice may start 元旦's days off in the last days of the December before."""
    return dt.date(year - 1, 12, 1)


def check(
    year: int,
    blocks: Sequence[Block],
    holidays: Sequence[Holiday],
    *,
    other_days_off: Iterable[dt.date] = (),
) -> Checked:
    result = Checked()
    by_code = {h.code: h for h in holidays}
    covering: dict[str, int] = {}
    off: dict[dt.date, int] = {}
    worked: dict[dt.date, int] = {}
    first, last = earliest_day(year), dt.date(year, 12, 31)

    for i, b in enumerate(blocks):
        label = _names(b.holidays, by_code) or f"第{i + 1}项"
        if not b.holidays:
            result.add("block_empty", f"{label}没有选择节日", f"block {i + 1} names no holiday")
        for code in b.holidays:
            if code not in by_code:
                result.add("holiday_unknown", f"未知的节日：{code}", f"unknown holiday {code}")
            elif code in covering:
                result.add(
                    "holiday_twice",
                    f"{by_code[code].name}出现在两项放假安排中",
                    f"{code} is in two blocks",
                    code,
                )
            covering[code] = i
        if b.last_off < b.first_off:
            result.add(
                "block_order",
                f"{label}：放假结束日{show(b.last_off)}早于开始日{show(b.first_off)}",
                f"{label}: the last day off is before the first",
            )
            continue
        if b.first_off < first or b.last_off > last:
            result.add(
                "block_outside_year",
                f"{label}：放假日期{show(b.first_off)}至{show(b.last_off)}不在{year}年的安排范围内",
                f"{label}: days off outside {year}",
            )
        statutory = sum(by_code[c].days for c in b.holidays if c in by_code)
        if b.length < statutory:
            result.add(
                "block_too_short",
                f"{label}放假{b.length}天，少于法定的{statutory}天",
                f"{label}: {b.length} days off, fewer than the statutory {statutory}",
            )
        for code in b.holidays:
            h = by_code.get(code)
            if h is not None and h.fixed is not None:
                fixed = dt.date(year, *h.fixed)
                if not b.first_off <= fixed <= b.last_off:
                    result.add(
                        "block_misses_date",
                        f"{h.name}的放假日期应包含{fixed.month}月{fixed.day}日",
                        f"{code}: the days off must include {fixed.isoformat()}",
                        code,
                    )
        shared: dict[int, list[dt.date]] = {}
        for day in b.days_off():
            if day in off:
                shared.setdefault(off[day], []).append(day)
            off.setdefault(day, i)
        for j, days in shared.items():
            result.add(
                "blocks_overlap",
                f"{label}与{_names(blocks[j].holidays, by_code)}的放假日期重叠："
                f"{show(days[0])}" + (f"至{show(days[-1])}" if len(days) > 1 else ""),
                f"{label} overlaps block {j + 1} on {len(days)} day(s)",
            )
        for day in b.workdays:
            if day.weekday() < 5:
                result.add(
                    "workday_not_weekend",
                    f"{label}的调休上班日{show(day)}不是周末",
                    f"{label}: adjusted workday {day} is not a Saturday or Sunday",
                )
            if not first <= day <= last:
                result.add(
                    "workday_outside_year",
                    f"{label}的调休上班日{show(day)}不在{year}年的安排范围内",
                    f"{label}: adjusted workday {day} is outside {year}",
                )
            if day in worked:
                result.add(
                    "workday_twice", f"调休上班日{show(day)}重复", f"adjusted workday {day} twice"
                )
            worked.setdefault(day, i)

    for day in sorted(set(off) & set(worked)):
        result.add(
            "day_off_and_worked",
            f"{show(day)}既是放假日又是调休上班日",
            f"{day} is both a day off and a workday",
        )
    for h in holidays:
        if h.code not in covering:
            result.add(
                "holiday_missing", f"缺少{h.name}的放假安排", f"no block for {h.name_en}", h.code
            )
    for day in sorted(set(other_days_off) - set(off)):
        if day.weekday() < 5:
            result.add(
                "day_off_outside_blocks",
                f"{show(day)}是工作日，被设为休息日，但不属于任何节日的放假安排",
                f"{day} is a weekday set off outside every holiday block",
            )
    return result


def overrides(blocks: Iterable[Block]) -> Iterator[tuple[dt.date, bool, tuple[str, ...]]]:
    """The days the arrangement changes: (day, is a workday, the block's holidays)."""
    for b in blocks:
        for day in b.days_off():
            yield day, False, b.holidays
        for day in b.workdays:
            yield day, True, b.holidays
