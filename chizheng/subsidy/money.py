"""Money: Decimal yuan with two places. ``cents`` is the one place a value is rounded."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from chizheng.core.errors import ValidationError

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(value: Decimal | int | str) -> Decimal:
    """Round to the fen (half up) — the only rounding of money in the app."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# 附件2's money boxes are in 万元; the form shows four decimals (to the yuan).
WAN_PLACES = 4


def wan(value: Decimal, *, places: int = 0) -> str:
    """万元 for 附件2's columns: an exact shift of the decimal point, not a rounding. At least
    ``places`` decimals (the form's four: 44,800.00 元 → 4.4800), more only when the amount
    has fen the four do not hold (30,000.50 元 → 3.00005), so no fen is ever lost."""
    text = format(value.scaleb(-4), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    whole, _, decimals = text.partition(".")
    decimals = decimals.ljust(places, "0")
    return f"{whole}.{decimals}" if decimals else whole


# The columns hold DecimalField(max_digits=14, decimal_places=2): up to 999,999,999,999.99.
WHOLE_DIGITS = 12
PLACES = 2


def check_amount(value: Decimal, *, field: str = "amount") -> Decimal:
    """``value`` if the money columns can hold it exactly, else ``ValidationError``: a
    finite number with at most 12 whole digits and 2 decimal places (never rounded away)."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationError("金额应为有限的数值", detail={"field": field})
    _, digits, exponent = value.as_tuple()  # exact: no context rounding
    assert isinstance(exponent, int)  # finite
    while digits and digits[-1] == 0 and exponent < 0:  # 1.50 has one place that counts
        digits, exponent = digits[:-1], exponent + 1
    places = max(0, -exponent)
    whole = max(0, len(digits) + exponent)
    if places > PLACES:
        raise ValidationError(f"金额最多保留{PLACES}位小数（到分）", detail={"field": field})
    if whole > WHOLE_DIGITS:
        raise ValidationError(
            f"金额超出范围（整数部分最多{WHOLE_DIGITS}位）", detail={"field": field}
        )
    return value
