"""Reading the lines of a State Council holiday notice into blocks.

Pure Python (no Django). The notice lists one holiday (or two sharing their days off) per
numbered line, in a form stable for years::

    一、元旦：1月1日（周五）至3日（周日）放假，共3天。
    二、春节：2月5日（农历除夕、周五）至13日（农历正月初八、周六）放假调休，共9天。1月31日（周日）、2月20日（周六）上班。
    六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。

Parenthesised remarks (weekdays, lunar dates) are ignored; a date without a year is in the
notice's year, except a December date in the 元旦 line, which is in the year before. A line
that cannot be read is reported with its number and text; nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from .holiday_schedule import Block, Holiday

_LINE = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*(?P<names>[^：:]+)[：:](?P<rest>.+)$")
_REMARK = re.compile(r"（[^）]*）|\([^)]*\)")
_DATE = r"(?:(?P<{p}y>\d{{4}})年)?(?:(?P<{p}m>\d{{1,2}})月)?(?P<{p}d>\d{{1,2}})日"
_RANGE = re.compile(_DATE.format(p="a") + r"(?:\s*[至到\-—～~]\s*" + _DATE.format(p="b") + r")?")
_ONE_DATE = re.compile(_DATE.format(p="a"))


@dataclass(frozen=True)
class LineProblem:
    line: int
    text: str
    message: str  # Chinese
    message_en: str


@dataclass
class Parsed:
    blocks: list[Block] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    notice_number: str = ""


_NUMBER = re.compile(r"国办发(?:明电)?〔\d{4}〕\d+号")


def parse(text: str, *, year: int, holidays: Sequence[Holiday]) -> Parsed:
    """The blocks of the notice's numbered lines (other lines are skipped)."""
    parsed = Parsed()
    text = unicodedata.normalize("NFKC", text).replace("\u3000", " ")
    # NFKC turns 〔〕 into themselves but full-width brackets into ASCII ones: read both.
    number = _NUMBER.search(text.replace("[", "〔").replace("]", "〕"))
    if number:
        parsed.notice_number = number.group(0)
    by_name = {h.name: h.code for h in holidays}
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        m = _LINE.match(line)
        if not m:
            continue
        names = [x.strip() for x in re.split(r"[、,，和]", m.group("names")) if x.strip()]
        unknown = [x for x in names if x not in by_name]
        if unknown:
            parsed.problems.append(
                LineProblem(
                    n,
                    line,
                    f"第{n}行：不认识的节日“{'、'.join(unknown)}”（应为：{'、'.join(by_name)}）",
                    f"line {n}: unknown holiday {', '.join(unknown)}",
                )
            )
            continue
        codes = tuple(by_name[x] for x in names)
        block = _block(m.group("rest"), codes=codes, year=year)
        if isinstance(block, str):
            parsed.problems.append(LineProblem(n, line, f"第{n}行：{block}", f"line {n}: {block}"))
        else:
            parsed.blocks.append(block)
    if not parsed.blocks and not parsed.problems:
        parsed.problems.append(
            LineProblem(
                0,
                "",
                "没有找到“一、元旦：1月1日放假……”形式的行",
                "no numbered holiday line found",
            )
        )
    return parsed


def _date(y: str | None, m: str | None, d: str, *, year: int, month: int | None) -> dt.date:
    mm = int(m) if m else month
    if mm is None:
        raise ValueError("缺少月份")
    return dt.date(int(y) if y else year, mm, int(d))


def _block(rest: str, *, codes: tuple[str, ...], year: int) -> Block | str:
    """The block of one line, or what is wrong with it (Chinese)."""
    plain = _REMARK.sub("", rest)
    off_part, _, after = plain.partition("放假")
    if not _:
        return "没有找到“放假”"
    r = _RANGE.search(off_part)
    if r is None:
        return "没有找到放假日期"
    new_year = codes == ("new_year",)
    try:
        start_year = year
        if new_year and r.group("am") == "12" and not r.group("ay"):
            start_year = year - 1
        first = _date(r.group("ay"), r.group("am"), r.group("ad"), year=start_year, month=None)
        if r.group("bd"):
            end_year = int(r.group("by")) if r.group("by") else first.year
            if r.group("bm") and int(r.group("bm")) < first.month and not r.group("by"):
                end_year = first.year + 1
            last = _date(None, r.group("bm"), r.group("bd"), year=end_year, month=first.month)
        else:
            last = first
    except ValueError as e:
        return f"日期无效：{e}"
    workdays: list[dt.date] = []
    for sentence in re.split(r"[。；;]", after):
        if "上班" not in sentence:
            continue
        for d in _ONE_DATE.finditer(sentence):
            try:
                day_year = int(d.group("ay")) if d.group("ay") else year
                if new_year and d.group("am") == "12" and not d.group("ay"):
                    day_year = year - 1
                workdays.append(
                    _date(None, d.group("am"), d.group("ad"), year=day_year, month=first.month)
                )
            except ValueError as e:
                return f"调休上班日期无效：{e}"
    return Block(codes, first, last, tuple(workdays))
