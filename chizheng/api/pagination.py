"""Page numbers for list endpoints: ``?page=1&page_size=50`` (at most 500 a page)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from ninja import Schema

MAX_PAGE_SIZE = 500
# Far beyond any list's last page (a province's people, 50 a page, fill ~100,000 pages);
# the bound keeps the row offset within what the databases accept.
MAX_PAGE = 1_000_000


class Page(Schema):
    count: int
    page: int
    page_size: int
    items: list[Any]


def paginate(qs: QuerySet[Any], *, page: int, page_size: int) -> tuple[int, QuerySet[Any]]:
    page = min(max(page, 1), MAX_PAGE)
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    start = (page - 1) * page_size
    return qs.count(), qs[start : start + page_size]


def page_of(qs: Any, page: int, page_size: int, row: Callable[[Any], object]) -> dict[str, object]:
    """One page of ``qs`` as a ``Page``, each row made by ``row``."""
    count, rows = paginate(qs, page=page, page_size=page_size)
    return {"count": count, "page": page, "page_size": page_size, "items": [row(x) for x in rows]}
