import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chizheng.core import ids

VALID = "11010519491231002X"  # the example of GB 11643-1999


def test_standard_example_is_valid() -> None:
    assert ids.check(VALID).valid


def test_lower_case_x_is_accepted_and_normalised() -> None:
    r = ids.check(VALID.lower())
    assert r.valid and r.number == VALID


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("11010519491231002", "长度应为18位，实际为17位"),
        ("1101051949123100211", "长度应为18位，实际为19位"),
        ("110105200002300011", "出生日期20000230不是有效日期"),  # 30 February
        ("110105194912310021", "校验码错误：应为X，实际为1"),
        ("11010519491231A02X", "前17位必须是数字"),
        ("11010519491231002Y", "第18位校验码必须是数字或X"),
    ],
)
def test_bad_numbers_name_the_problem(number: str, reason: str) -> None:
    r = ids.check(number)
    assert not r.valid
    assert r.reason == reason


def test_birth_date_in_the_future_is_refused() -> None:
    n = ids.make("410402", dt.date(2030, 1, 1), 1)
    assert ids.check(n, today=dt.date(2026, 1, 1)).reason.startswith("出生日期2030-01-01")


def test_mask_shows_region_and_last_four() -> None:
    assert ids.mask("410402199001010018") == "410402********0018"
    assert ids.mask_phone("13912345678") == "139****5678"


@given(
    born=st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2010, 12, 31)),
    seq=st.integers(0, 999),
    pos=st.integers(0, 16),
    delta=st.integers(1, 9),
)
def test_any_single_digit_change_is_caught(born: dt.date, seq: int, pos: int, delta: int) -> None:
    number = ids.make("410402", born, seq)
    assert ids.check(number).valid
    digit = (int(number[pos]) + delta) % 10
    changed = number[:pos] + str(digit) + number[pos + 1 :]
    assert not ids.check(changed).valid
