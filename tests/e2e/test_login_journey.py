"""Journey: the demo city officer signs in and sees his home page."""

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from chizheng import demo

from .conftest import shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_programme_officer_signs_in_and_sees_home(live_server, page: Page) -> None:
    demo.build(people=30, areas=())
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/")
    page.get_by_label("用户名").fill("city")
    page.get_by_label("密码").fill(demo.PASSWORD)
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_test_id("home-title")).to_contain_text("工作台")
    expect(page.get_by_test_id("who")).to_contain_text("市人社局（领导小组办公室）")
    expect(page.get_by_test_id("count-institutions")).to_have_text(str(len(demo.INSTITUTIONS)))
    # Static assets come from this server, not a CDN.
    assert page.evaluate("typeof htmx") == "object"
    shot(page, "home-city-office")


def test_wrong_password_shows_a_chinese_error(live_server, page: Page) -> None:
    demo.build(people=5, areas=())
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill("city")
    page.get_by_label("密码").fill("wrong")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_have_text("用户名或密码错误")


def test_a_destructive_step_asks_first(live_server, browser: Browser) -> None:
    """A form marked data-confirm asks first (site.js); saying no keeps the page."""
    demo.build(people=5, areas=())
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    asked: list[str] = []

    def say_no(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", say_no)
    page.goto(f"{live_server.url}/login/")
    page.evaluate(
        """() => { const f = document.querySelector('main form[method=post]');
                   f.setAttribute('data-confirm', '确定？'); f.setAttribute('action', '/nowhere/'); }"""
    )
    page.get_by_label("用户名").fill("city")
    page.get_by_label("密码").fill("x")
    page.get_by_role("button", name="登录").click()
    page.wait_for_timeout(300)
    assert asked == ["确定？"]
    expect(page).to_have_url(f"{live_server.url}/login/")
    context.close()
