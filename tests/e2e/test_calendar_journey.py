"""Journey: on 1 December the city office is warned that next year's holidays are unknown,
enters 2027 on the calendar page, sees the check find the missing holiday, completes it,
confirms it, and the warning is gone.

The 2027 arrangement used here is a test fixture (chizheng/core/tests/holiday_fixture.py):
the State Council's notice for 2027 is not published on the day the suite runs.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from chizheng.accounts.models import Role
from chizheng.core import clock
from chizheng.core.calendar import calendar
from chizheng.core.models import HolidayYear
from chizheng.core.tests.holiday_fixture import BLOCKS_2027

from .conftest import login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fill_block(page: Page, i: int) -> None:
    b = BLOCKS_2027[i]
    page.locator(f'input[name="b{i}-first"]').fill(b.first_off.isoformat())
    page.locator(f'input[name="b{i}-last"]').fill(b.last_off.isoformat())
    page.locator(f'input[name="b{i}-workdays"]').fill(", ".join(d.isoformat() for d in b.workdays))


def test_the_programme_office_enters_next_year(live_server, page: Page, make_user, city) -> None:
    base = live_server.url
    office = make_user(Role.PROGRAMME_OFFICE)
    with clock.freeze(dt.date(2026, 12, 1)):
        login(page, base, office.username)
        warning = page.get_by_test_id("next-year-warning")
        expect(warning).to_contain_text("2027年的法定节假日和调休安排尚未录入")
        shot(page, "calendar-warning")
        page.get_by_test_id("next-year-link").click()
        expect(page.get_by_test_id("year-title")).to_contain_text("2027年节假日安排")
        expect(page.get_by_test_id("year-status")).to_have_text("未录入")

        page.get_by_label("文号").fill("国办发明电〔2026〕99号（测试样例）")
        page.locator('input[name="notice_date"]').fill("2026-11-20")
        for i in range(len(BLOCKS_2027) - 1):  # National Day left out at first
            fill_block(page, i)
        page.get_by_test_id("save").click()
        expect(page.get_by_role("status")).to_contain_text("2027年的节假日安排已保存")
        expect(page.get_by_test_id("check-problems")).to_contain_text("缺少国庆节的放假安排")
        expect(page.get_by_test_id("confirm")).to_be_disabled()

        fill_block(page, len(BLOCKS_2027) - 1)
        page.get_by_test_id("save").click()
        expect(page.get_by_test_id("check-ok")).to_have_text("完整")
        shot(page, "calendar-2027-complete")
        page.get_by_test_id("confirm").click()  # the page asks first; the person says yes
        expect(page.get_by_test_id("year-status")).to_have_text("已启用")
        expect(page.get_by_test_id("history")).to_contain_text("确认并启用")

        page.goto(f"{base}/")
        expect(page.get_by_test_id("home-title")).to_be_visible()
        expect(page.get_by_test_id("next-year-warning")).to_have_count(0)
        shot(page, "calendar-warning-gone")

    assert HolidayYear.objects.get(year=2027).status == HolidayYear.Status.KNOWN
    assert calendar().add(dt.date(2026, 12, 24), 10) == dt.date(2027, 1, 8)
