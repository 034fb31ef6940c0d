"""Journey (issue 14, §20(4)): the city office plans this half-year's special checks of the
evaluation institutions; the city's inspector opens one of the evaluators, records each item
(one does not pass, with its note), the findings and an order to rectify; the office sees it
done among the period's checks."""

import pytest
from playwright.sync_api import Page, expect

from chizheng import demo
from chizheng.core import clock
from chizheng.supervision import evaluator_check_services as services

from .conftest import login, logout, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_office_plans_and_a_county_records_a_check(live_server, page: Page) -> None:
    demo.build(people=30, areas=("registry",))
    base = live_server.url
    today = clock.today()
    half = 1 if today.month <= 6 else 2
    login(page, base, "city", demo.PASSWORD)
    page.goto(f"{base}/supervision/evaluator-checks/?year={today.year}&half={half}")
    page.get_by_test_id("plan-checks").click()
    expect(page.locator(".msg").first).to_contain_text("专项检查计划")
    rows = page.get_by_test_id("evaluator-checks").locator("tbody tr[data-check]")
    assert rows.count() >= 1
    logout(page)

    login(page, base, "inspector", demo.PASSWORD)
    page.goto(f"{base}/supervision/evaluator-checks/?year={today.year}&half={half}")
    page.get_by_test_id("evaluator-checks").locator("tbody tr[data-check] a").first.click()
    form = page.get_by_test_id("check-form")
    items = services.checklist_items(today)
    form.get_by_label("检查日期").fill(today.isoformat())
    for k, item in enumerate(items):
        group = form.locator("fieldset").filter(has_text=item)
        group.get_by_label("不符合" if k == 1 else "符合", exact=True).check()
        if k == 1:
            group.get_by_label("说明（不符合时必填）").fill("2名考评员未取得相应资格")
    form.get_by_label("发现的问题").fill("考评员配备不足")
    form.get_by_label("处理方式").select_option(label="责令限期整改")
    shot(page, "evaluator-check-form")
    page.get_by_test_id("record-check").click()
    expect(page.get_by_test_id("check-handling")).to_have_text("责令限期整改")
    expect(page.get_by_test_id("check-record")).to_contain_text("2名考评员未取得相应资格")
    logout(page)

    login(page, base, "city", demo.PASSWORD)
    page.goto(f"{base}/supervision/evaluator-checks/?year={today.year}&half={half}")
    expect(page.get_by_test_id("checks-done")).to_contain_text("1/")
