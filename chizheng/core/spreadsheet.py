"""Cells written to spreadsheets (.xlsx and .csv): text a spreadsheet would run is made inert.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
some programs skip before reading one of those) is a formula to Excel, WPS and LibreOffice:
``=HYPERLINK("http://…")`` in a person's name becomes a live link in every export (OWASP,
"CSV Injection"). Every writer of .xlsx or .csv passes its values through ``cell`` (or ``row``).

The text is prefixed with a single quote, as OWASP recommends, rather than only written as a
string cell with Excel's ``quotePrefix`` style: the quote is part of the value, so it survives
what the style does not — re-typing the cell (F2, Enter), copying it, saving the sheet as CSV,
opening it in a program that ignores the style. The cost is a visible ``'`` before such text,
which is rare in this programme's data and tells the reader the value was neutralised. The
full-width forms (``＝＋－＠``) are treated the same: a Chinese input method types them, and
some spreadsheet programs read them as the ASCII ones.

Only text is touched: numbers (a negative amount), dates and blanks are written as they are,
as numbers, so they stay numbers the office can sum.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
QUOTE = "'"


def cell(value: Any) -> Any:
    """The value to write: text that would start a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return QUOTE + value
    return value


def row(values: Iterable[Any]) -> list[Any]:
    return [cell(v) for v in values]


REPORT_EVERY = 1000  # rows between two progress reports of a long workbook


def workbook(
    title: str,
    header: Iterable[str],
    rows: Iterable[Iterable[Any]],
    *,
    on_rows: Callable[[int], None] | None = None,
) -> bytes:
    """One sheet in constant memory however long (write-only), its header bold, every value
    through ``cell``; ``on_rows`` is told how many rows are written so far (a job's progress)."""
    import openpyxl  # here: the URL configuration imports the modules that call this
    from openpyxl.styles import Font

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    top = []
    for h in header:
        c = openpyxl.cell.WriteOnlyCell(ws, value=cell(h))
        c.font = Font(bold=True)
        top.append(c)
    ws.append(top)
    n = 0
    for r in rows:
        ws.append(row(r))
        n += 1
        if on_rows is not None and n % REPORT_EVERY == 0:
            on_rows(n)
    if on_rows is not None:
        on_rows(n)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# What an import refuses at the start of a free-text field (a name, an address): "=" is
# how every formula is written and no name or address begins with it. "+", "-" and "@" are
# accepted ("+86 …", "-" as a placeholder): written out, ``cell`` neutralises them.
IMPORT_REFUSED = ("=", "＝")


def starts_formula(text: str) -> bool:
    """Whether imported text is a formula typed as text (refused by the imports)."""
    return text.lstrip().startswith(IMPORT_REFUSED)
