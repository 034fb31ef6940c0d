"""Journey: an apprenticeship class (企业新型学徒制), through the real pages in Chromium.

An institution applies for an apprenticeship class, puts two apprentices on the roster, sees
the §20(1) cap and the subsidy per apprentice per year, enters each apprentice's labour
contract on his roster line, submits, and the industry department's reviewer finds the class
in his queue.
"""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from chizheng.core import clock
from chizheng.training.tests.conftest import START, build_world

from .conftest import login, logout, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_apprenticeship_class_with_contracts(live_server, page: Page, make_user, city) -> None:
    base = live_server.url
    with clock.freeze(dt.date(2022, 5, 20)):
        w = build_world(make_user)
    for u in (w.applicant, w.industry_a):
        u.display_name = u.username
        u.save()
    for t in w.teachers:
        t.full_time = True
        t.save(update_fields=["full_time"])

    with clock.freeze(dt.date(2022, 5, 20)):
        login(page, base, w.applicant.username)
        page.goto(f"{base}/classes/new/")
        page.get_by_label("开班批次").fill("2022-学徒-E2E")
        page.get_by_label("开班时间").fill(START.isoformat())
        page.get_by_label("结束时间").fill("2023-06-06")
        page.get_by_label("培训工种（输入代码或名称查找）").fill("6-18-02-05")
        page.get_by_label("级别").select_option("4")
        page.get_by_label("拟培训人数").fill("2")
        page.get_by_label("总课时").fill("80")
        page.get_by_label("实操课时").fill("50")
        page.get_by_label("培训方式").select_option("apprenticeship")
        page.get_by_label("师资").select_option([str(t.pk) for t in w.teachers])
        page.get_by_label("场地").select_option(str(w.site.pk))
        page.get_by_label("联系人", exact=True).fill("李老师")
        page.get_by_label("联系电话").fill("0375-1234567")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_test_id("class-status")).to_have_text("草稿")
        page.get_by_label("身份证号码（每行一个）").fill(
            "\n".join(p.id_number for p in w.people[:2])
        )
        page.get_by_role("button", name="加入名册").click()
        expect(page.get_by_role("status")).to_contain_text("新增2人")
        expect(page.get_by_test_id("apprentice-cap")).to_have_text("40")
        expect(page.get_by_test_id("apprenticeship")).to_contain_text("5,000.00 元")

        # Without contracts the submission is refused, naming the minimum.
        page.get_by_test_id("submit").click()
        expect(page.get_by_role("alert")).to_contain_text("学徒须签订12个月以上劳动合同")

        for n in (1, 2):
            form = page.get_by_test_id(f"contract-form-{n}")
            form.get_by_label("劳动合同起始").fill("2022-05-01")
            form.get_by_label("劳动合同终止").fill("2024-04-30")
            form.get_by_role("button", name="登记合同").click()
            expect(page.get_by_role("status")).to_contain_text("劳动合同已登记")
            expect(page.get_by_test_id(f"contract-{n}")).to_contain_text("2022-05-01 至 2024-04-30")
        shot(page, "apprenticeship-01-contracts")
        page.get_by_test_id("submit").click()
        expect(page.get_by_test_id("class-status")).to_have_text("待行业主管部门初审")
        expect(page.get_by_test_id("decisions")).to_contain_text("学徒")
        logout(page)

        login(page, base, w.industry_a.username)
        page.goto(f"{base}/classes/queue/")
        expect(page.get_by_test_id("queue")).to_contain_text("2022-学徒-E2E")
        shot(page, "apprenticeship-02-review-queue")
