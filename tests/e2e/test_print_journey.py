"""Journey: the whole 附件2 of a paid class, through the real pages.

The county HR bureau gives its opinion on the assessment results from the class page's
signature box (the patrol and the supervision opinion are already signed); then it opens
the print view, which shows both halves — the class's boxes with the opinions and the
patroller, the claim with its notice, the disbursement with its date, amount in 万元 and
each fund — with the bank account masked, and the PDF beside it. Another county's bureau
gets "not found" for the same print.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from chizheng.accounts.models import Role
from chizheng.core import clock
from chizheng.org.models import Department
from chizheng.subsidy.tests.conftest import HELD, Money, assess, fund
from chizheng.training import services
from chizheng.training.tests.conftest import build_world
from chizheng.training.tests.test_annex2 import ACCOUNT, PAID_ON, _pay

from .conftest import login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_print_of_a_paid_class_shows_the_disbursement_and_its_funds(
    live_server: Any, page: Page, make_user: Any, county: Any
) -> None:
    base = live_server.url
    with clock.freeze(dt.date(2022, 5, 20)):
        w = build_world(make_user)
        training_class = w.approved(bank_name="中国工商银行平顶山分行", bank_account=ACCOUNT)
    assess(w, training_class=training_class, inspections=(("opening", 30), ("during", 28)))
    for u in (w.hr_a, w.hr_b, w.inspector):
        u.display_name = {w.hr_a: "王科长", w.hr_b: "李科员", w.inspector: "赵检查"}[u]
        u.save()
    with clock.freeze(HELD):
        services.opinion_record(
            actor=w.hr_a, class_id=training_class.pk, kind="supervision", text="过程监管到位。"
        )
        services.opinion_record(
            actor=w.inspector, class_id=training_class.pk, kind="patrol", text="考场秩序良好。"
        )
    m = Money(
        w=w,
        training_class=training_class,
        office=make_user(Role.PROGRAMME_OFFICE),
        office_b=make_user(Role.PROGRAMME_OFFICE),
        finance_a=make_user(Role.FINANCE),
        finance_b=make_user(Role.FINANCE),
        other_county_hr=make_user(Role.COUNTY_HR, county=county("410482")),
        other_department=make_user(Role.INDUSTRY, department=Department.objects.first()),
    )
    fund(m, "skills_upgrade_account", "30000.50")
    fund(m, "employment_subsidy", "100000")
    _pay(m)

    with clock.freeze(PAID_ON):
        login(page, base, w.hr_b.username)
        page.goto(f"{base}/classes/{training_class.pk}/")
        box = page.get_by_test_id("opinion-form-results")
        box.get_by_label("人力资源社会保障部门意见（考核结果）").fill("考核结果属实，同意。")
        box.get_by_role("button").click()
        expect(page.get_by_role("status")).to_contain_text("已登记")
        expect(page.get_by_test_id("results-opinion")).to_contain_text(
            "考核结果属实，同意。（李科员"
        )
        expect(page.get_by_test_id("opinions")).to_contain_text("考核巡查")

        page.get_by_test_id("print-link").click()
        sheet = page.get_by_test_id("print-sheet")
        expect(sheet).to_contain_text("年度补贴培训资金申请表（续）")
        expect(page.get_by_test_id("bank-account")).to_have_text("6222***********0123")
        expect(page.get_by_test_id("supervision-opinion")).to_contain_text("过程监管到位。（王科长")
        expect(page.get_by_test_id("patrollers")).to_have_text("赵检查（2022年6月27日）")
        expect(page.get_by_test_id("results-opinion")).to_contain_text("考核结果属实，同意。")
        expect(page.get_by_test_id("certified-total")).to_have_text("28")
        expect(page.get_by_test_id("form-notice")).to_contain_text("公示期 5 个工作日")
        expect(page.get_by_test_id("form-paid-on")).to_have_text("2022年7月12日")
        expect(page.get_by_test_id("form-paid-wan")).to_have_text("4.4800")
        expect(page.get_by_test_id("form-paid")).to_have_text("44800.00")
        expect(page.get_by_test_id("form-source-skills_upgrade_account")).to_contain_text(
            "职业技能提升行动专账（2022年度）3.00005 万元（30000.50 元）"
        )
        expect(page.get_by_test_id("form-source-employment_subsidy")).to_contain_text(
            "就业补助资金（2022年度）1.47995 万元（14799.50 元）"
        )
        assert ACCOUNT not in page.content()
        shot(page, "print-01-annex2")
        page.emulate_media(media="print")
        expect(page.get_by_test_id("print-tools")).to_be_hidden()
        expect(page.locator(".topbar")).to_be_hidden()
        shot(page, "print-02-annex2-as-printed")
        page.emulate_media(media="screen")

        pdf = page.request.get(f"{base}/classes/{training_class.pk}/pdf/")
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
        assert pdf.body().startswith(b"%PDF")

        other = page.context.browser.new_context(locale="zh-CN") if page.context.browser else None
        assert other is not None
        stranger = other.new_page()
        login(stranger, base, m.other_county_hr.username)
        response = stranger.goto(f"{base}/classes/{training_class.pk}/print/")
        assert response is not None and response.status == 404
        other.close()
