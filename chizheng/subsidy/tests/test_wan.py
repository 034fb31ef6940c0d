"""附件2's 万元: an exact shift of the decimal point, four decimals at least, more only when
fen remain — never a rounding."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from chizheng.subsidy.money import WAN_PLACES, wan


def test_the_form_shows_four_decimals() -> None:
    assert wan(Decimal("44800.00"), places=WAN_PLACES) == "4.4800"
    assert wan(Decimal("10000"), places=WAN_PLACES) == "1.0000"
    assert wan(Decimal("0.00"), places=WAN_PLACES) == "0.0000"
    assert wan(Decimal("30000.50"), places=WAN_PLACES) == "3.00005"
    assert wan(Decimal("0.01"), places=WAN_PLACES) == "0.000001"
    assert wan(Decimal("44800.00")) == "4.48"  # the reports' columns: no padding


@given(st.integers(min_value=0, max_value=10**14 - 1))
def test_no_fen_is_lost(fen: int) -> None:
    amount = Decimal(fen).scaleb(-2)
    shown = wan(amount, places=WAN_PLACES)
    assert Decimal(shown).scaleb(4) == amount
    assert len(shown.partition(".")[2]) >= WAN_PLACES
