"""The search box of a list, read the same way on every page: at most ``MAX_SEARCH``
characters of printable text; anything else is ignored with a message that says so."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.contrib import messages
from django.http import HttpRequest

MAX_SEARCH = 50
T = TypeVar("T")


def search_query(request: HttpRequest, name: str = "q") -> str:
    q = request.GET.get(name, "").strip()
    if len(q) > MAX_SEARCH or not q.isprintable():
        messages.error(request, f"搜索内容须为不超过 {MAX_SEARCH} 个字符的文字，已忽略")
        return ""
    return q


def matching(rows: Iterable[T], q: str, *fields: str) -> list[T]:
    """The rows one of whose ``fields`` holds ``q`` (all rows for an empty search)."""
    rows = list(rows)
    if not q:
        return rows
    folded = q.casefold()
    return [r for r in rows if any(folded in str(_get(r, f)).casefold() for f in fields)]


def _get(row: object, field: str) -> object:
    return row[field] if isinstance(row, dict) else getattr(row, field, "")
