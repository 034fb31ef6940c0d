"""Page numbers for list endpoints: ``?page=1&page_size=50`` (at most 500)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from ninja import Schema

MAX_PAGE_SIZE = 500


class Page(Schema):
    count: int
    page: int
    page_size: int
    items: list[Any]


def paginate(qs: QuerySet[Any], *, page: int, page_size: int) -> tuple[int, QuerySet[Any]]:
    page = max(page, 1)
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    start = (page - 1) * page_size
    return qs.count(), qs[start : start + page_size]
