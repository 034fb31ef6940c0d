"""Journey: the demo city officer signs in and sees his home page."""

import pytest
from playwright.sync_api import Page, expect

from chizheng import demo

from .conftest import shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_city_officer_signs_in_and_sees_home(live_server, page: Page) -> None:
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
