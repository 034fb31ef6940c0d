"""Bank account numbers: one normal form, the boundary's check in Chinese (never repeating
the number), the mask, and the logs' masking of one."""

from __future__ import annotations

import pytest

from chizheng.core import bank
from chizheng.core.errors import ValidationError
from chizheng.core.logging import mask_text


def test_blanks_hyphens_and_full_width_digits_are_one_number() -> None:
    for typed in (
        "6222 0212 3456 7890 123",
        "6222-0212-3456-7890-123",
        "６２２２０２１２３４５６７８９０１２３",
    ):
        assert bank.check_account(typed) == "6222021234567890123"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("", None), ("6222 0212 345X 7890", "digits"), ("1" * 11, "length"), ("1" * 33, "length")],
)
def test_a_bad_number_is_refused_without_repeating_it(typed: str, reason: str | None) -> None:
    with pytest.raises(ValidationError) as e:
        bank.check_account(typed)
    assert e.value.detail["field"] == "bank_account"
    assert e.value.detail.get("reason") == reason
    assert not typed or typed not in e.value.message


def test_the_bounds() -> None:
    assert bank.check_account("1" * bank.ACCOUNT_MIN_DIGITS)
    assert bank.check_account("1" * bank.ACCOUNT_MAX_DIGITS)


def test_the_mask_keeps_four_at_each_end() -> None:
    assert bank.mask_account("6222021234567890123") == "6222***********0123"
    assert bank.mask_account("6228 4800 1234 5678") == "6228********5678"
    assert bank.mask_account("12345678") == "********"


def test_the_logs_mask_an_account_too() -> None:
    assert "6222021234567890123" not in mask_text("账号 6222021234567890123 已保存")
