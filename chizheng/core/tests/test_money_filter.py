"""Money on every page as finance writes it (issue 16): 784,800.00."""

from decimal import Decimal

import pytest

from chizheng.core.templatetags.money import yuan


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("784800"), "784,800.00"),
        (Decimal("1600.5"), "1,600.50"),
        (Decimal("0"), "0.00"),
        (Decimal("-44800.25"), "-44,800.25"),
        ("30000.255", "30,000.26"),
        (None, "—"),
        ("", "—"),
        ("不详", "不详"),
    ],
)
def test_yuan(value: object, shown: str) -> None:
    assert yuan(value) == shown
