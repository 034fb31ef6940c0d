"""The holiday year's form: the notice's particulars and one row per block.

A row names the holidays it covers (checkboxes: 国庆节 and 中秋节 may share one), its first
and last day off and its adjusted workdays (dates separated by commas or spaces). An empty
row is skipped; a row half filled in is an error naming its number.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django import forms
from django.http import QueryDict

from chizheng.rules.holiday_schedule import Block, Holiday

MAX_FIELD = 200


class YearForm(forms.Form):
    source = forms.CharField(label="依据文件", max_length=200)
    notice_number = forms.CharField(label="文号", max_length=100, required=False)
    notice_date = forms.DateField(label="发文日期", required=False)
    revision = forms.IntegerField(
        label="版本", min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput
    )


class ImportForm(forms.Form):
    text = forms.CharField(label="通知正文", max_length=20_000, widget=forms.Textarea)
    revision = forms.IntegerField(
        label="版本", min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput
    )


@dataclass
class Row:
    """One row as shown: what was entered (strings), for re-display after an error."""

    holidays: list[str] = field(default_factory=list)
    first: str = ""
    last: str = ""
    workdays: str = ""


@dataclass
class Rows:
    rows: list[Row]
    blocks: list[Block]
    errors: list[str]


def _date(raw: str, *, what: str, n: int, errors: list[str]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors.append(f"第{n}项：{what}“{raw[:20]}”不是有效日期（应为 YYYY-MM-DD）")
        return None


def parse_rows(data: QueryDict, holidays: Sequence[Holiday]) -> Rows:
    codes = {h.code for h in holidays}
    rows: list[Row] = []
    blocks: list[Block] = []
    errors: list[str] = []
    for i in range(len(holidays)):
        n = i + 1
        row = Row(
            holidays=[c for c in data.getlist(f"b{i}-holidays")[: len(holidays)] if c in codes],
            first=data.get(f"b{i}-first", "")[:MAX_FIELD].strip(),
            last=data.get(f"b{i}-last", "")[:MAX_FIELD].strip(),
            workdays=data.get(f"b{i}-workdays", "")[:MAX_FIELD].strip(),
        )
        rows.append(row)
        bad = [c for c in data.getlist(f"b{i}-holidays") if c not in codes]
        if bad:
            errors.append(
                f"第{n}项：未知的节日 {bad[0][:20]}（应为：{'、'.join(h.name for h in holidays)}）"
            )
        if not (row.first or row.last or row.workdays):
            continue  # an empty row, whatever is ticked: nothing to save
        if not row.holidays:
            errors.append(f"第{n}项：请勾选节日")
        if not row.first or not row.last:
            errors.append(f"第{n}项：请填写放假开始和结束日期")
            continue
        first = _date(row.first, what="放假开始日期", n=n, errors=errors)
        last = _date(row.last, what="放假结束日期", n=n, errors=errors)
        worked = [
            _date(w, what="调休上班日期", n=n, errors=errors)
            for w in re.split(r"[\s,，、;；]+", row.workdays)
            if w
        ]
        if first and last and all(worked) and row.holidays:
            blocks.append(
                Block(tuple(row.holidays), first, last, tuple(d for d in worked if d is not None))
            )
    return Rows(rows, blocks, errors)


def rows_for(blocks: Sequence[Block], holidays: Sequence[Holiday]) -> list[Row]:
    """The saved blocks, then a row ticked for each holiday no block covers yet, then empty
    rows (so a shared block can be split again): as many rows as there are holidays."""
    rows = [
        Row(
            list(b.holidays),
            b.first_off.isoformat(),
            b.last_off.isoformat(),
            ", ".join(d.isoformat() for d in b.workdays),
        )
        for b in blocks
    ]
    covered = {c for b in blocks for c in b.holidays}
    rows += [Row([h.code]) for h in holidays if h.code not in covered]
    return (rows + [Row() for _ in holidays])[: max(len(holidays), len(rows))]
