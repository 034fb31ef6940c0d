"""``{% if actor|can:"class.apply" %}``: templates ask the permission table, never a role.

Loaded for every template (``TEMPLATES`` ``builtins``). A question about one object (may he
review *this* class?) is asked by the view with ``permissions.can(actor, action, obj)`` and
passed to the page as a flag."""

from __future__ import annotations

from typing import Any

from django import template

from chizheng.accounts import permissions

register = template.Library()


@register.filter
def can(actor: Any, action: str) -> bool:
    # A page is never the system: no actor in the context may do nothing (``can(None, …)``
    # would ask for the system's grants).
    if actor is None or actor == "":
        return False
    return permissions.can(actor, action)
