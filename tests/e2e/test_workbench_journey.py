"""Journey (issue 16): each demo role signs in and finds his next task on his home page — a
to-do row or a next step he may follow — and his home and the page that task opens are kept
as screenshots."""

import pytest
from playwright.sync_api import Browser, expect

from chizheng import demo

from .conftest import shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROLES = (
    "city",
    "leader",
    "xinhua",
    "miit1",
    "commerce1",
    "finance",
    "inspector",
    "jsxy",
    "jdzx",
    "platform",
    "worker",
    "xueyuan",
)


def test_every_role_finds_his_next_task_on_his_home(live_server, browser: Browser) -> None:
    demo.build(people=30, areas=("registry", "plan", "training", "subsidy"))
    for username in ROLES:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(demo.PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_test_id("home-title")).to_be_visible()
        tasks = page.locator('[data-testid="next-steps"] a, [data-testid="todo"] a')
        assert tasks.count() >= 1, f"{username}: no next step on his home"
        first = tasks.first
        href = first.get_attribute("href")
        assert href, username
        shot(page, f"home-{username}")
        first.click()  # the step opens (no error page)
        expect(page.locator("h1").first).to_be_visible()
        shot(page, f"main-{username}")  # the page his first task opens
        assert "出错" not in page.title() and "找不到" not in page.title(), (username, href)
        context.close()
