"""The completeness check of a year's holiday arrangement and the reading of the notice's
lines, checked against the real 2025 and 2026 notices that ``chinesecalendar`` knows."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from chizheng.core.tests.holiday_fixture import BLOCKS_2027, NOTICE_2027
from chizheng.rules import params
from chizheng.rules.holiday_notice import parse
from chizheng.rules.holiday_schedule import Block, check, holidays_from, overrides

D = dt.date

# 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）
NOTICE_2025 = """国务院办公厅关于2025年部分节假日安排的通知
国办发明电〔2024〕12号
一、元旦：1月1日（周三）放假1天，不调休。
二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
三、清明节：4月4日（周五）至6日（周日）放假，共3天。
四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
"""

NOTICE_2026 = """一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
"""


def holidays(year: int) -> list:
    return holidays_from(params.current().value("calendar.holidays", D(year, 1, 1)))


@pytest.mark.parametrize(("year", "text"), [(2025, NOTICE_2025), (2026, NOTICE_2026)])
def test_real_notices_read_as_the_package_knows_them(year: int, text: str) -> None:
    parsed = parse(text, year=year, holidays=holidays(year))
    assert parsed.problems == []
    assert check(year, parsed.blocks, holidays(year)).problems == []
    changed = {day: workday for day, workday, _ in overrides(parsed.blocks)}
    day = D(year, 1, 1)
    while day.year == year:
        ours = changed.get(day, day.weekday() < 5)
        assert ours == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)


def test_the_notice_number_and_a_shared_block_are_read() -> None:
    parsed = parse(NOTICE_2025, year=2025, holidays=holidays(2025))
    assert parsed.notice_number == "国办发明电〔2024〕12号"
    shared = parsed.blocks[-1]
    assert shared.holidays == ("national_day", "mid_autumn")
    assert (shared.first_off, shared.last_off) == (D(2025, 10, 1), D(2025, 10, 8))
    assert shared.workdays == (D(2025, 9, 28), D(2025, 10, 11))


def test_a_new_year_block_may_start_in_december() -> None:
    parsed = parse(
        "一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。",
        year=2023,
        holidays=holidays(2023),
    )
    assert parsed.blocks[0].first_off == D(2022, 12, 31)
    assert parsed.blocks[0].last_off == D(2023, 1, 2)
    undated = parse(
        "一、元旦：12月30日至1月1日放假，共3天。12月29日上班。", year=2019, holidays=holidays(2019)
    )
    b = undated.blocks[0]
    assert (b.first_off, b.last_off, b.workdays) == (
        D(2018, 12, 30),
        D(2019, 1, 1),
        (D(2018, 12, 29),),
    )


def test_a_line_that_cannot_be_read_is_reported() -> None:
    parsed = parse(
        "一、元旦：1月1日放假。\n二、圣诞节：12月25日放假。\n三、春节：放假调休，共8天。",
        year=2027,
        holidays=holidays(2027),
    )
    assert [p.line for p in parsed.problems] == [2, 3]
    assert "不认识的节日“圣诞节”" in parsed.problems[0].message
    assert "没有找到放假日期" in parsed.problems[1].message
    assert (
        parse("随便写点什么", year=2027, holidays=holidays(2027))
        .problems[0]
        .message.startswith("没有找到")
    )


def blocks_2027() -> list[Block]:
    return list(BLOCKS_2027)


def test_the_fixture_notice_reads_as_the_fixture_blocks() -> None:
    parsed = parse(NOTICE_2027, year=2027, holidays=holidays(2027))
    assert parsed.problems == [] and parsed.blocks == BLOCKS_2027
    assert parsed.notice_number == "国办发明电〔2026〕99号"


def codes(blocks: list[Block], **kw) -> list[str]:
    return [p.code for p in check(2027, blocks, holidays(2027), **kw).problems]


def test_the_fixture_is_complete() -> None:
    assert codes(blocks_2027()) == []


def test_a_missing_holiday() -> None:
    result = check(2027, blocks_2027()[:-1], holidays(2027))
    assert [p.message for p in result.problems] == ["缺少国庆节的放假安排"]


def test_a_holiday_twice_and_overlapping_blocks() -> None:
    b = blocks_2027()
    b.append(Block(("national_day",), D(2027, 10, 1), D(2027, 10, 8)))
    result = check(2027, b, holidays(2027))
    assert [p.code for p in result.problems] == ["holiday_twice", "blocks_overlap"]
    assert result.problems[1].message == (
        "国庆节与国庆节的放假日期重叠：2027年10月1日（星期五）至2027年10月7日（星期四）"
    )


def test_an_adjusted_workday_must_be_a_weekend_day() -> None:
    b = blocks_2027()
    b[1] = Block(("spring_festival",), D(2027, 2, 5), D(2027, 2, 13), (D(2027, 2, 1),))
    result = check(2027, b, holidays(2027))
    assert [p.message for p in result.problems] == [
        "春节的调休上班日2027年2月1日（星期一）不是周末"
    ]


def test_a_day_both_off_and_worked() -> None:
    b = blocks_2027()
    b[0] = Block(("new_year",), D(2027, 1, 1), D(2027, 1, 3), (D(2027, 1, 2),))
    assert codes(b) == ["day_off_and_worked"]


def test_fewer_days_than_the_statutory_ones() -> None:
    b = blocks_2027()
    b[1] = Block(("spring_festival",), D(2027, 2, 5), D(2027, 2, 7))
    result = check(2027, b, holidays(2027))
    assert [p.message for p in result.problems] == ["春节放假3天，少于法定的4天"]
    # the 2014 rules had three days of Spring Festival: the same block passes for 2024
    old = holidays_from(params.current().value("calendar.holidays", D(2024, 1, 1)))
    assert next(h for h in old if h.code == "spring_festival").days == 3


def test_a_fixed_date_holiday_must_include_its_day() -> None:
    b = blocks_2027()
    b[3] = Block(("labour_day",), D(2027, 5, 2), D(2027, 5, 5))
    assert codes(b) == ["block_misses_date"]


def test_dates_outside_the_year_and_out_of_order() -> None:
    b = blocks_2027()
    b[2] = Block(("qingming",), D(2028, 4, 3), D(2028, 4, 5))
    b[4] = Block(("dragon_boat",), D(2027, 6, 9), D(2027, 6, 8))
    assert codes(b) == ["block_outside_year", "block_order"]


def test_a_weekday_off_outside_every_block() -> None:
    assert codes(blocks_2027(), other_days_off=[D(2027, 3, 3)]) == ["day_off_outside_blocks"]
    assert codes(blocks_2027(), other_days_off=[D(2027, 3, 6)]) == []  # a Saturday: harmless


def test_a_shared_block_counts_both_holidays() -> None:
    b = [x for x in blocks_2027() if x.holidays not in (("mid_autumn",), ("national_day",))]
    b.append(Block(("national_day", "mid_autumn"), D(2027, 10, 1), D(2027, 10, 3)))
    result = check(2027, b, holidays(2027))
    assert [p.message for p in result.problems] == ["国庆节、中秋节放假3天，少于法定的4天"]
