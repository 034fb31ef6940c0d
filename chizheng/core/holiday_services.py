"""Writes of the holiday calendar: the city office enters a year's arrangement from the
State Council's notice, and marks it known once its check passes.

A draft may be saved incomplete (the page shows what is missing); a known year may still
be corrected (the notice is sometimes amended), but only into another complete schedule,
so deadlines never count on half a year. Every save and the confirmation are audit events;
a form sent from an older revision of the year is refused.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from typing import Any

import chinese_calendar
from django.db import IntegrityError, transaction

from chizheng.accounts.access import require
from chizheng.accounts.models import User
from chizheng.rules import params
from chizheng.rules.holiday_notice import parse
from chizheng.rules.holiday_schedule import (
    Block,
    Checked,
    Holiday,
    check,
    earliest_day,
    holidays_from,
)

from . import audit, clock
from .errors import DomainError, ValidationError
from .models import HolidayBlock, HolidayOverride, HolidayYear
from .workflow import StateMachine, Transition

MAX_SOURCE = HolidayYear._meta.get_field("source").max_length or 200
MAX_NUMBER = HolidayYear._meta.get_field("notice_number").max_length or 100
MAX_WORKDAYS_PER_BLOCK = 10  # a notice lists one to three; more is a typing slip
MAX_NOTICE_CHARS = 20_000


class StaleRevision(DomainError):
    code = "stale"
    http_status = 409


def _no_row(*args: Any) -> None:
    """The year's history is its audit events (``fire`` writes them); no transition table."""


YEAR_STATES: StateMachine[HolidayYear] = StateMachine(
    [
        Transition.of(
            "confirm",
            "确认并启用",
            [HolidayYear.Status.DRAFT],
            HolidayYear.Status.KNOWN,
            action="calendar.edit",
        )
    ],
    action="calendar",
    log=_no_row,
)


def package_last_year() -> int:
    return max(d.year for d in chinese_calendar.holidays)


def editable_years(today: dt.date) -> range:
    """The years the office may enter: after the package's last, up to two years ahead."""
    return range(package_last_year() + 1, today.year + 3)


def holidays_of(year: int) -> list[Holiday]:
    """The holidays a notice for ``year`` must arrange (the rules in force on 1 January)."""
    return holidays_from(params.current().value("calendar.holidays", dt.date(year, 1, 1)))


def other_days_off(year: int) -> list[dt.date]:
    """Single-day overrides that make a day of the year a day off."""
    first, last = earliest_day(year), dt.date(year, 12, 31)
    return list(
        HolidayOverride.objects.filter(day__range=(first, last), workday=False).values_list(
            "day", flat=True
        )
    )


def check_year(year: int, blocks: Sequence[Block]) -> Checked:
    return check(year, blocks, holidays_of(year), other_days_off=other_days_off(year))


def blocks_of(holiday_year: HolidayYear) -> list[Block]:
    return [
        Block(
            tuple(b.holidays),
            b.first_off,
            b.last_off,
            tuple(dt.date.fromisoformat(d) for d in b.workdays),
        )
        for b in holiday_year.blocks.all()
    ]


def _text(value: str, *, label: str, limit: int, required: bool) -> str:
    text = value.strip()  # not NFKC: it would turn the title's （） into ASCII
    if required and not text:
        raise ValidationError(f"请填写{label}", message_en=f"{label} is required")
    if len(text) > limit:
        raise ValidationError(
            f"{label}不能超过{limit}个字符（现有{len(text)}个）",
            message_en=f"{label} is longer than {limit} characters",
        )
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise ValidationError(f"{label}含有控制字符", message_en=f"{label} has control characters")
    return text


def _check_year_allowed(year: int, today: dt.date, existing: HolidayYear | None) -> None:
    allowed = editable_years(today)
    if existing is None and year not in allowed:
        raise ValidationError(
            f"只能录入工作日历尚不包含的年份（{allowed.start}–{allowed.stop - 1}年），"
            f"{year}年不在其中",
            message_en=f"only {allowed.start}–{allowed.stop - 1} can be entered",
            detail={"year": year},
        )


def _check_blocks(year: int, blocks: Sequence[Block], holidays: Sequence[Holiday]) -> None:
    """What a draft must satisfy already: known holidays, dates near the year, sane sizes."""
    known = {h.code for h in holidays}
    if len(blocks) > len(holidays):
        raise ValidationError(
            f"放假安排最多{len(holidays)}项", message_en=f"at most {len(holidays)} blocks"
        )
    first, last = earliest_day(year), dt.date(year, 12, 31)
    for i, b in enumerate(blocks, start=1):
        unknown = [c for c in b.holidays if c not in known]
        if unknown:
            raise ValidationError(
                f"第{i}项：未知的节日 {', '.join(unknown)}",
                message_en=f"block {i}: unknown holiday {', '.join(unknown)}",
                detail={"allowed": sorted(known)},
            )
        for day in (b.first_off, b.last_off, *b.workdays):
            if not first <= day <= last:
                raise ValidationError(
                    f"第{i}项：日期{day.isoformat()}不在{first.isoformat()}至{last.isoformat()}之间",
                    message_en=f"block {i}: {day} is outside {first}–{last}",
                )
        if len(b.workdays) > MAX_WORKDAYS_PER_BLOCK:
            raise ValidationError(
                f"第{i}项：调休上班日最多{MAX_WORKDAYS_PER_BLOCK}个",
                message_en=f"block {i}: at most {MAX_WORKDAYS_PER_BLOCK} adjusted workdays",
            )


def _snapshot(y: HolidayYear | None, blocks: Sequence[Block]) -> dict[str, Any] | None:
    if y is None:
        return None
    return {
        "source": y.source,
        "notice_number": y.notice_number,
        "notice_date": y.notice_date.isoformat() if y.notice_date else None,
        "status": y.status,
        "revision": y.revision,
        "blocks": [
            {
                "holidays": list(b.holidays),
                "off": [b.first_off.isoformat(), b.last_off.isoformat()],
                "workdays": [d.isoformat() for d in b.workdays],
            }
            for b in blocks
        ],
    }


def holiday_year_save(
    *,
    actor: User | None,
    year: int,
    source: str,
    notice_number: str,
    notice_date: dt.date | None,
    blocks: Sequence[Block],
    revision: int,
) -> HolidayYear:
    """Save the year's arrangement (replacing its blocks). ``revision`` is the one the form
    was made from (0 for a new year)."""
    require(actor, "calendar.edit")
    source = _text(source, label="依据文件", limit=MAX_SOURCE, required=True)
    notice_number = _text(notice_number, label="文号", limit=MAX_NUMBER, required=False)
    holidays = holidays_of(year)
    _check_blocks(year, blocks, holidays)
    today = clock.today()
    if notice_date is not None and not (dt.date(year - 2, 1, 1) <= notice_date <= today):
        raise ValidationError(
            f"发文日期{notice_date.isoformat()}不合理（应在{year - 2}年1月1日至今天之间）",
            message_en="the notice date is out of range",
        )
    try:
        with transaction.atomic():
            existing = HolidayYear.objects.select_for_update().filter(year=year).first()
            _check_year_allowed(year, today, existing)
            current = existing.revision if existing else 0
            if revision != current:
                raise StaleRevision(
                    f"{year}年的安排已被他人修改（现为第{current}版，您修改的是第{revision}版），"
                    "请刷新页面后重新修改",
                    message_en=f"{year} was changed meanwhile (revision {current}, yours {revision})",
                    detail={"revision": current},
                )
            before = _snapshot(existing, blocks_of(existing) if existing else [])
            if existing is not None and existing.status == HolidayYear.Status.KNOWN:
                checked = check(year, blocks, holidays, other_days_off=other_days_off(year))
                if not checked.ok:
                    raise ValidationError(
                        f"{year}年的安排已启用，修改后必须仍然完整："
                        + "；".join(p.message for p in checked.problems),
                        message_en=f"{year} is in use; the change must keep it complete",
                        code="calendar_incomplete",
                        detail={"problems": [p.message for p in checked.problems]},
                    )
            y = existing or HolidayYear(year=year)
            y.source, y.notice_number, y.notice_date = source, notice_number, notice_date
            y.revision = current + 1
            y.save()
            y.blocks.all().delete()
            HolidayBlock.objects.bulk_create(
                HolidayBlock(
                    holiday_year=y,
                    position=i,
                    holidays=list(b.holidays),
                    first_off=b.first_off,
                    last_off=b.last_off,
                    workdays=[d.isoformat() for d in b.workdays],
                )
                for i, b in enumerate(blocks)
            )
            audit.record(
                actor=actor,
                action="calendar.save",
                obj=y,
                before=before,
                after=_snapshot(y, blocks),
            )
    except IntegrityError:  # the same new year created at the same moment by someone else
        raise StaleRevision(
            f"{year}年的安排刚被他人创建，请刷新页面后重新修改",
            message_en=f"{year} was created meanwhile",
        ) from None
    return y


def holiday_year_import(
    *, actor: User | None, year: int, text: str, source: str, revision: int
) -> HolidayYear:
    """Save the year from the notice's pasted lines (all of them read, or nothing saved)."""
    require(actor, "calendar.edit")
    if len(text) > MAX_NOTICE_CHARS:
        raise ValidationError(
            f"粘贴的通知不能超过{MAX_NOTICE_CHARS}个字符", message_en="the pasted text is too long"
        )
    parsed = parse(text, year=year, holidays=holidays_of(year))
    if parsed.problems:
        raise ValidationError(
            "通知内容无法识别，未保存：" + "；".join(p.message for p in parsed.problems),
            message_en="the notice could not be read; nothing was saved",
            code="notice_unreadable",
            detail={"problems": [p.message for p in parsed.problems]},
        )
    return holiday_year_save(
        actor=actor,
        year=year,
        source=source or f"国务院办公厅关于{year}年部分节假日安排的通知",
        notice_number=parsed.notice_number,
        notice_date=None,
        blocks=parsed.blocks,
        revision=revision,
    )


def holiday_year_confirm(*, actor: User | None, year: int, revision: int) -> HolidayYear:
    """Mark the year known: deadlines into it count from now on. Refused while its check
    finds a problem."""
    require(actor, "calendar.edit")
    with transaction.atomic():
        y = HolidayYear.objects.select_for_update().filter(year=year).first()
        if y is None:
            raise ValidationError(f"{year}年的安排尚未录入", message_en=f"{year} is not entered")
        if y.revision != revision:
            raise StaleRevision(
                f"{year}年的安排已被他人修改（现为第{y.revision}版），请刷新页面核对后再确认",
                message_en=f"{year} was changed meanwhile",
                detail={"revision": y.revision},
            )
        checked = check_year(year, blocks_of(y))
        if not checked.ok:
            raise ValidationError(
                f"{year}年的安排不完整，不能启用："
                + "；".join(p.message for p in checked.problems),
                message_en=f"{year} is incomplete",
                code="calendar_incomplete",
                detail={"problems": [p.message for p in checked.problems]},
            )
        reason = f"依据{y.source}" + (f"（{y.notice_number}）" if y.notice_number else "")
        YEAR_STATES.fire(y, "confirm", actor=actor, reason=reason)
    return y
