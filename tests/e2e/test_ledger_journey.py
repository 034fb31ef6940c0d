"""Journey (issue 14): the city office opens the training ledger from the menu, drills from
a county to its institutions to a class, switches to a category, exports the ledger, then
opens the evaluation ledger and drills down to the certificates an occupation counts; a
county bureau's ledger holds its own county only; the public catalogs open signed out."""

import pytest
from playwright.sync_api import Page, expect

from chizheng import demo
from chizheng.accounts.models import User

from .conftest import login, logout, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_office_drills_through_the_ledgers(live_server, page: Page) -> None:
    demo.build(people=30, areas=("registry", "plan", "training", "subsidy"))
    base = live_server.url
    login(page, base, "city", demo.PASSWORD)
    page.get_by_role("link", name="台账").first.click()
    expect(page.get_by_test_id("ledger-title")).to_contain_text("培训台账")
    page.get_by_label("年度").fill("2022")  # the demo's year (the server runs on today's date)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("ledger-title")).to_contain_text("2022年培训台账")
    ledger = page.get_by_test_id("ledger")
    county = ledger.locator("tbody tr").first
    county_trainees = county.locator('[data-count="trainees"]').inner_text()
    county.locator("a").click()
    expect(page.get_by_test_id("ledger-title")).to_contain_text("按培训机构")
    expect(page.get_by_test_id("ledger-filters")).to_be_visible()
    expect(page.get_by_test_id("total-trainees")).to_have_text(county_trainees)
    page.get_by_test_id("ledger").locator("tbody tr a").first.click()
    expect(page.get_by_test_id("ledger-title")).to_contain_text("按培训班")
    shot(page, "ledger-training-classes")
    page.get_by_test_id("ledger").locator("tbody tr a").first.click()
    assert "/classes/" in page.url
    page.go_back()
    page.get_by_test_id("ledger-dimensions").get_by_role("link", name="培训渠道").click()
    expect(page.get_by_test_id("ledger-title")).to_contain_text("按培训渠道")
    with page.expect_download() as got:
        page.get_by_test_id("export").click()
    assert got.value.suggested_filename.endswith(".xlsx")
    page.get_by_role("link", name="评价台账").first.click()
    page.get_by_test_id("ledger-dimensions").get_by_role("link", name="职业（工种）").click()
    row = page.get_by_test_id("ledger").locator("tbody tr").first
    certificates = row.locator('[data-count="certificates"]').inner_text()
    row.locator("a").click()
    expect(page.get_by_test_id("ledger-certificates-title")).to_be_visible()
    expect(page.get_by_text(f"共 {certificates} 张")).to_be_visible()
    shot(page, "ledger-evaluation-certificates")
    logout(page)

    login(page, base, "xinhua", demo.PASSWORD)
    page.goto(f"{base}/ledgers/training/?year=2022&by=county")
    county_code = User.objects.get(username="xinhua").county.code  # type: ignore[union-attr]
    keys = (
        page.get_by_test_id("ledger")
        .locator("tbody tr")
        .evaluate_all("rows => rows.map(r => r.dataset.key)")
    )
    assert set(keys) <= {county_code}
    logout(page)

    page.goto(f"{base}/login/")
    page.get_by_test_id("public-links").get_by_role("link", name="目录清单").click()
    expect(page.get_by_test_id("catalog-title")).to_have_text("培训机构目录清单")
    page.get_by_test_id("catalog-filters").get_by_label("搜索").fill("焊")
    page.get_by_test_id("catalog-filters").get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("catalog")).to_be_visible()
    shot(page, "public-catalog")
