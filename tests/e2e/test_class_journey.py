"""Journey: one class end to end, through the real pages in Chromium.

An institution applies; the industry department's two reviewers and the county HR bureau's
two reviewers approve; the class starts, a session and its sign-in are recorded; an
inspector records the opening-day and a mid-training inspection; the assessment is
registered and the evaluation institution enters the results; the 附件2 PDF is produced.
"""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from chizheng.core import clock
from chizheng.training.models import Status, TrainingClass
from chizheng.training.tests.conftest import START, build_world

from .conftest import login, logout, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_one_class_end_to_end(live_server, page: Page, make_user, city) -> None:
    base = live_server.url
    with clock.freeze(dt.date(2022, 5, 20)):
        w = build_world(make_user)
    for u in (
        w.applicant,
        w.industry_a,
        w.industry_b,
        w.hr_a,
        w.hr_b,
        w.inspector,
        w.evaluator_user,
    ):
        u.display_name = u.username
        u.save()

    with clock.freeze(dt.date(2022, 5, 20)):
        login(page, base, w.applicant.username)
        page.goto(f"{base}/classes/new/")
        page.get_by_label("开班批次").fill("2022-切割-E2E")
        page.get_by_label("开班时间").fill(START.isoformat())
        page.get_by_label("结束时间").fill((START + dt.timedelta(days=20)).isoformat())
        occupation = page.get_by_label("培训工种（输入代码或名称查找）")
        occupation.fill("材料切割")  # the picker offers the classification's entries by name
        expect(page.locator('#occupation-options option[value="6-18-02-05"]')).to_have_count(1)
        occupation.fill("6-18-02-05")
        page.get_by_label("级别").select_option("4")
        page.get_by_label("拟培训人数").fill("30")
        page.get_by_label("总课时").fill("80")
        page.get_by_label("实操课时").fill("50")
        page.get_by_label("培训方式").select_option("commissioned")
        page.get_by_label("师资").select_option([str(t.pk) for t in w.teachers])
        page.get_by_label("场地").select_option(str(w.site.pk))
        page.get_by_label("联系人", exact=True).fill("李老师")
        page.get_by_label("联系电话").fill("0375-1234567")
        shot(page, "class-01-application-form")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_test_id("class-status")).to_have_text("草稿")
        page.get_by_label("身份证号码（每行一个）").fill(
            "\n".join(p.id_number for p in w.people[:30])
        )
        page.get_by_role("button", name="加入名册").click()
        expect(page.get_by_role("status")).to_contain_text("新增30人")
        page.get_by_test_id("submit").click()
        expect(page.get_by_test_id("class-status")).to_have_text("待行业主管部门初审")
        expect(page.get_by_test_id("decisions")).to_contain_text("§20(1)")
        shot(page, "class-02-submitted-with-decisions")
        training_class = TrainingClass.objects.get(batch="2022-切割-E2E")
        logout(page)

        for user, status in (
            (w.industry_a, "待行业主管部门复核"),
            (w.industry_b, "待人社部门初审"),
            (w.hr_a, "待人社部门复核"),
            (w.hr_b, "已批准开班"),
        ):
            login(page, base, user.username)
            page.goto(f"{base}/classes/queue/")
            expect(page.get_by_test_id("queue")).to_contain_text("2022-切割-E2E")
            if user is w.industry_a:
                shot(page, "class-03-review-queue")
            page.get_by_role("link", name="2022-切割-E2E").click()
            page.get_by_test_id("review-form").get_by_role("combobox").select_option("approve")
            page.get_by_test_id("review-form").get_by_role("textbox").fill("同意")
            page.get_by_role("button", name="提交审核意见").click()
            expect(page.get_by_test_id("class-status")).to_have_text(status)
            logout(page)

    with clock.freeze(START):
        login(page, base, w.applicant.username)
        page.goto(f"{base}/classes/{training_class.pk}/")
        page.get_by_test_id("start").click()
        expect(page.get_by_test_id("class-status")).to_have_text("培训中")
        form = page.get_by_test_id("session-form")
        form.get_by_label("日期").fill(START.isoformat())
        form.get_by_label("类型").select_option("practical")
        form.get_by_label("课时数").fill("2")
        form.get_by_label("时长（分钟）", exact=True).fill("90")
        form.get_by_label("录像总时长（分钟）").fill("40")
        form.get_by_label("每课时最长连续录像（分钟，逗号分隔）").fill("20,18")
        form.get_by_role("button", name="登记课程").click()
        page.get_by_role("button", name="登记签到").click()
        expect(page.get_by_role("status")).to_contain_text("签到已登记")
        logout(page)

        login(page, base, w.inspector.username)
        for kind, day, present in (
            ("opening", START, "30"),
            ("during", START + dt.timedelta(days=1), "27"),
        ):
            page.goto(f"{base}/classes/{training_class.pk}/")
            form = page.get_by_test_id("inspection-form")
            form.get_by_label("检查类型").select_option(kind)
            form.get_by_label("时间").fill(day.isoformat())
            form.get_by_label("地点").fill("实训车间")
            form.get_by_label("在位学员人数").fill(present)
            form.get_by_label("签到人数").fill(present)
            form.get_by_label("在岗教师人数").fill("2")
            form.get_by_role("button", name="登记").click()
            expect(page.get_by_role("status")).to_contain_text("检查情况已登记")
        expect(page.get_by_test_id("average-present")).to_have_text("27.00")
        shot(page, "class-04-inspections")
        logout(page)

        login(page, base, w.applicant.username)
        page.goto(f"{base}/classes/{training_class.pk}/")
        form = page.get_by_test_id("assessment-form")
        form.get_by_label("评价机构").select_option(str(w.evaluator.pk))
        form.get_by_label("考核日期").fill((START + dt.timedelta(days=2)).isoformat())
        form.get_by_role("button", name="登记考核").click()
        expect(page.get_by_role("alert")).to_contain_text("附件2")  # two days ahead is refused
        form = page.get_by_test_id("assessment-form")
        form.get_by_label("评价机构").select_option(str(w.evaluator.pk))
        form.get_by_label("考核日期").fill((START + dt.timedelta(days=5)).isoformat())
        form.get_by_role("button", name="登记考核").click()
        expect(page.get_by_test_id("class-status")).to_have_text("已登记结业考核")
        logout(page)

    with clock.freeze(START + dt.timedelta(days=5)):
        login(page, base, w.evaluator_user.username)
        page.goto(f"{base}/classes/{training_class.pk}/")
        for n in range(1, 28):
            page.get_by_test_id(f"cert-{n}").fill(f"PDS2022{n:04d}")
        shot(page, "class-05-results-form")
        page.get_by_role("button", name="保存考核结果").click()
        expect(page.get_by_test_id("class-status")).to_have_text("已考核")
        expect(page.get_by_test_id("taking-total")).to_have_text("30")
        expect(page.get_by_test_id("certified-total")).to_have_text("27")
        expect(page.get_by_test_id("history")).to_contain_text("录入考核结果")
        shot(page, "class-06-assessed-fujian2")
        pdf = page.request.get(f"{base}/classes/{training_class.pk}/pdf/")
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
        assert pdf.body().startswith(b"%PDF")

    training_class.refresh_from_db()
    assert training_class.status == Status.ASSESSED
    assert training_class.certificates.count() == 27
