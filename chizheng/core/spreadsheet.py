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

from collections.abc import Iterable
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


# What an import refuses at the start of a free-text field (a name, an address): "=" is
# how every formula is written and no name or address begins with it. "+", "-" and "@" are
# accepted ("+86 …", "-" as a placeholder): written out, ``cell`` neutralises them.
IMPORT_REFUSED = ("=", "＝")


def starts_formula(text: str) -> bool:
    """Whether imported text is a formula typed as text (refused by the imports)."""
    return text.lstrip().startswith(IMPORT_REFUSED)
