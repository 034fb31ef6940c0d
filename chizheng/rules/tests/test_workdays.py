import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chizheng.rules import workdays
from chizheng.rules.workdays import CalendarUnknown, Override, WorkdayCalendar


def test_ten_working_days_after_national_day_eve() -> None:
    # 2022-10-01..07 is the National Day holiday; 10-08 and 10-09 are adjusted workdays.
    assert workdays.add(dt.date(2022, 9, 28), 10) == dt.date(2022, 10, 17)


def test_public_notice_window_is_inclusive() -> None:
    assert workdays.window(dt.date(2022, 9, 29), 5) == dt.date(2022, 10, 10)


def test_a_window_opening_on_a_holiday_starts_on_the_next_working_day() -> None:
    assert workdays.window(dt.date(2022, 10, 1), 1) == dt.date(2022, 10, 8)


def test_count_matches_add() -> None:
    assert workdays.count(dt.date(2022, 9, 28), dt.date(2022, 10, 17)) == 10
    assert workdays.count(dt.date(2022, 10, 17), dt.date(2022, 9, 28)) == -10


def test_spring_festival_2022() -> None:
    # 2022-01-29 and 01-30 were adjusted workdays; 01-31..02-06 holidays.
    cal = workdays.default()
    assert cal.is_workday(dt.date(2022, 1, 29))
    assert not cal.is_workday(dt.date(2022, 2, 1))
    assert workdays.add(dt.date(2022, 1, 28), 2) == dt.date(2022, 1, 30)


def test_an_unknown_year_raises_a_clear_error() -> None:
    with pytest.raises(CalendarUnknown, match="2027年"):
        workdays.add(dt.date(2026, 12, 20), 15)


def test_overrides_extend_and_correct_the_package() -> None:
    cal = WorkdayCalendar(
        overrides={dt.date(2031, 1, 1): False, dt.date(2022, 10, 17): False},
        complete_years=frozenset({2031}),
    )
    assert not cal.is_workday(dt.date(2031, 1, 1))
    assert cal.is_workday(dt.date(2031, 1, 2))  # a Thursday
    assert not cal.is_workday(dt.date(2031, 1, 4))  # a Saturday
    assert cal.add(dt.date(2022, 9, 28), 10) == dt.date(2022, 10, 18)


def test_build_merges_database_overrides() -> None:
    cal = workdays.build([Override(dt.date(2032, 1, 1), False, "元旦")], [2032])
    assert cal.knows(2032) and not cal.is_workday(dt.date(2032, 1, 1))


@given(
    start=st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2025, 12, 1)),
    n=st.integers(0, 20),
)
def test_add_lands_on_a_working_day_n_working_days_later(start: dt.date, n: int) -> None:
    cal = workdays.default()
    end = cal.add(start, n)
    assert cal.count(start, end) == n
    if n:
        assert cal.is_workday(end)
