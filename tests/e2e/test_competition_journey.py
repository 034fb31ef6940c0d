"""Journey: the city office records a skill competition (§11), imports its contestants from an
.xlsx file, marks a winner's result and the level the competition conferred on him, and the
plan's three competition indicators move — in Chromium against the live server.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from chizheng.accounts.models import Role
from chizheng.competitions.models import Contestant
from chizheng.plan.services import plan_load
from chizheng.registry.models import Occupation

from .conftest import login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OCCUPATIONS = {"6-18-01-01": "车工", "6-18-01-02": "铣工"}


def _file(people: list) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名*", "身份证号码*", "参赛职业编码*", "成绩", "名次", "奖项", "证书编号"])
    for n, p in enumerate(people):
        ws.append([p.name, p.id_number, "6-18-01-01" if n < 2 else "6-18-01-02"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _accumulated(page: Page, base: str, name: str) -> str:
    """The indicator's 累计完成 on the dashboard (the whole table, the city's scope)."""
    page.goto(f"{base}/plan/?year=2022&until=2022-12-31")
    row = page.get_by_test_id("indicator-table").locator("tr", has_text=name).first
    return row.locator("td").nth(4).inner_text().strip()


def test_office_records_a_competition_and_the_indicators_move(
    live_server, page: Page, make_user, make_person
) -> None:
    base = live_server.url
    plan_load()
    for code, label in OCCUPATIONS.items():
        Occupation.objects.get_or_create(
            code=code, defaults={"name": label, "level": Occupation.Level.OCCUPATION}
        )
    people = [make_person("410402") for _ in range(3)]
    office = make_user(Role.PROGRAMME_OFFICE)
    login(page, base, office.username)

    indicators = ("职业技能竞赛职业（工种）", "职业技能竞赛赛事活动", "竞赛选手取证")
    assert [_accumulated(page, base, n) for n in indicators] == ["0", "0", "0"]

    page.goto(f"{base}/")
    page.get_by_role("link", name="技能竞赛").click()
    page.get_by_test_id("new-event").click()
    page.locator("input[name=name]").fill("2022年平顶山市车工铣工职业技能竞赛")
    page.locator("select[name=level]").select_option("city")
    page.locator("input[name=occupation_codes]").fill("6-18-01-01, 6-18-01-02")
    page.locator("select[name=organiser_department]").select_option(label="市人社局")
    page.locator("input[name=starts_on]").fill("2022-04-12")
    page.locator("input[name=ends_on]").fill("2022-04-11")
    page.locator("input[name=place]").fill("平顶山技师学院")
    page.locator("select[name=county]").select_option(label="新华区")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("结束日期不能早于开始日期")
    page.locator("input[name=ends_on]").fill("2022-04-13")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("event-title")).to_have_text("2022年平顶山市车工铣工职业技能竞赛")
    expect(page.get_by_test_id("occupations")).to_contain_text("车工")

    page.locator("input[name=file]").set_input_files(
        {
            "name": "选手名单.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": _file(people),
        }
    )
    page.get_by_role("button", name="导入").click()
    expect(page.get_by_text("已导入3名选手")).to_be_visible()
    expect(page.get_by_test_id("counts")).to_have_text("3 人 / 0 人")
    table = page.get_by_test_id("contestants")
    expect(table).to_contain_text(people[0].id_masked)
    expect(table).not_to_contain_text(people[0].id_number)

    winner = Contestant.objects.get(person=people[0])
    page.locator(f"tr[data-contestant='{winner.pk}']").get_by_test_id("result-link").click()
    page.locator("input[name=score]").fill("96.5")
    page.locator("input[name=rank]").fill("1")
    page.locator("select[name=award]").select_option("first")
    page.locator("select[name=conferred_level]").select_option("4")
    page.locator("input[name=conferred_on]").fill("2022-04-20")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("counts")).to_have_text("3 人 / 1 人")
    expect(page.locator(f"tr[data-contestant='{winner.pk}']")).to_contain_text("一等奖")
    shot(page, "competition-event")

    assert [_accumulated(page, base, n) for n in indicators] == ["2", "1", "1"]
    shot(page, "competition-dashboard")
