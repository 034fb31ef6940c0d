"""A subsidy standard's key (``level_3``) as the standard's name on a page."""

from __future__ import annotations

from django import template

from chizheng.subsidy.standards import LABELS

register = template.Library()


@register.filter
def standard_label(key: str) -> str:
    """The standard's name; an empty key (a line that pays nothing) stays empty."""
    return LABELS.get(str(key), str(key))
