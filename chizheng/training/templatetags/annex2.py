"""``{% load annex2 %}``: 附件2's signed boxes worded as the PDF words them
(``training.annex2_text``) — ``{{ half.industry|seal }}``, ``{{ o|signed }}``,
``{{ half.patrols|patrollers }}``, ``{{ d|cn_date }}``, ``{{ level|level_title }}``."""

from __future__ import annotations

from typing import Any

from django import template

from chizheng.registry.models import skill_level_title
from chizheng.training import annex2_text

register = template.Library()


@register.filter
def seal(pair: Any) -> str:
    """A level's (初审, 复核) pair."""
    first, second = pair if pair else (None, None)
    return annex2_text.seal(first, second)


register.filter("signed", annex2_text.signed)
register.filter("patrollers", annex2_text.patrollers)
register.filter("cn_date", annex2_text.day)
register.filter("yes_no", annex2_text.yes_no)
register.filter("level_title", skill_level_title)


@register.simple_tag
def seal_of(first: Any, second: Any) -> str:
    """``{% seal_of first second %}``: a level's steps given apart (the claim's steps)."""
    return annex2_text.seal(first, second)
