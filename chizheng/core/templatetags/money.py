"""Money as the finance office writes it (issue 16): thousands separators and two decimals,
784,800.00; nothing as a dash."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def yuan(value: object) -> str:
    """``Decimal("784800")`` → ``784,800.00``; ``None`` or ``""`` → ``—``; text that is no
    amount as it is."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return f"{amount.quantize(Decimal('0.01')):,.2f}"
