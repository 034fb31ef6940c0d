"""Names for the codes that records keep: a rule's code (``class.max_size``) shown as its
title in the page's language, the code itself kept in the tooltip (issue 16: no rule code on
a Chinese page), and a subsidy standard's key (``level_3``) as the standard's name."""

from __future__ import annotations

from functools import cache

from django import template
from django.utils.translation import get_language

from chizheng.rules import evaluate, params
from chizheng.rules.decision import RuleSpec

register = template.Library()


@cache
def _rules() -> dict[str, RuleSpec]:
    return {spec.code: spec for spec in evaluate.all_rules()}


@register.filter
def rule_title(code: str) -> str:
    """The rule's title (Chinese, or English when the page is in English); an unknown code
    as it is (a rule that has been retired keeps its code in old decisions)."""
    spec = _rules().get(str(code))
    if spec is None:
        return str(code)
    return spec.title_en if (get_language() or "").startswith("en") else spec.title


@register.filter
def parameter_title(name: str) -> str:
    """A policy parameter's description in the page's language (the name for the tooltip);
    an unknown name as it is."""
    policy = params.current()
    if str(name) not in policy:
        return str(name)
    p = policy.parameter(str(name))
    return p.description_en if (get_language() or "").startswith("en") else p.description
