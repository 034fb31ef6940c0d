"""A bank account on screens and prints shows its first and last four digits, as the log
filter masks a run of digits (``core.logging``): one rule for both."""

from __future__ import annotations

import pytest

from chizheng.core import ids
from chizheng.core.logging import mask_text


@pytest.mark.parametrize(
    ("account", "shown"),
    [
        ("6222021234567890123", "6222***********0123"),
        ("6222 0212 3456 7890 123", "6222 **** **** ***0 123"),
        ("1706-0000-0900-0001-2", "1706-****-****-*001-2"),
        ("12345678", "****5678"),
        ("", ""),
    ],
)
def test_the_account_keeps_its_first_and_last_four_digits(account: str, shown: str) -> None:
    assert ids.mask_account(account) == shown


@pytest.mark.parametrize("account", ["6222021234567890123", "6222 0212 3456 7890 123"])
def test_the_print_masks_as_the_logs_do(account: str) -> None:
    assert ids.mask_account(account) == mask_text(account)
