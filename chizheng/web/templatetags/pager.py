"""One pager for every list (issue 16, item 4): first and last page, the numbers around the
current one, previous and next, and a box to jump to a page — every link keeping the list's
filters and search, which stay in the URL."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.paginator import Page

register = template.Library()

ON_EACH_SIDE = 2  # page numbers shown either side of the current one
ON_ENDS = 1  # page numbers shown at each end


def numbers(current: int, last: int) -> list[int | None]:
    """The page numbers to link, ``None`` where a run of them is left out (1 … 4 5 6 … 968)."""
    shown = {
        *range(1, min(ON_ENDS, last) + 1),
        *range(max(1, current - ON_EACH_SIDE), min(last, current + ON_EACH_SIDE) + 1),
        *range(max(1, last - ON_ENDS + 1), last + 1),
    }
    out: list[int | None] = []
    for n in sorted(shown):
        previous = out[-1] if out else None
        if previous is not None and n == previous + 2:
            out.append(previous + 1)  # one page left out is shown, not an ellipsis
        elif previous is not None and n > previous + 2:
            out.append(None)
        out.append(n)
    return out


@register.inclusion_tag("web/_pager.html", takes_context=True)
def pager(
    context: template.Context,
    page: Page[Any] | int,
    pages: int | None = None,
    target: str = "",
    param: str = "page",
) -> dict[str, Any]:
    """``{% pager page %}`` for a Django page, ``{% pager number pages %}`` for a list that
    counts its own pages; ``target``: the element an HTMX list swaps (``#results``)."""
    if isinstance(page, Page):
        current, last = page.number, page.paginator.num_pages
    else:
        current, last = int(page), int(pages or 1)
    query = context["request"].GET.copy()
    query.pop(param, None)
    base = query.urlencode()
    return {
        "current": current,
        "last": last,
        "numbers": numbers(current, last),
        "prefix": f"?{base}&{param}=" if base else f"?{param}=",
        "hidden": [(k, v) for k, values in query.lists() for v in values],
        "param": param,
        "target": target,
    }
