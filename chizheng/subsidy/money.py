"""Money: Decimal yuan with two places. ``cents`` is the one place a value is rounded."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(value: Decimal | int | str) -> Decimal:
    """Round to the fen (half up) — the only rounding of money in the app."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def wan(value: Decimal) -> str:
    """万元 for 附件2's columns: an exact shift of the decimal point, not a rounding."""
    text = format(value.scaleb(-4), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
