"""Journey: a class's subsidy claim from calculation to disbursement, through the real pages.

The institution calculates and signs the commitment; the industry department's two reviewers
approve; the claim goes on public notice, where a member of the public (not signed in) reads
it — with no unmasked ID number in the HTML — and objects; the county HR bureau cannot close
the notice before its fifth working day has passed nor with the objection open, handles the
objection, closes the notice and reviews twice; the finance bureau reviews twice and pays,
the skills-upgrade special account running out so the payment splits across two funds. The
fund balances, the claim page (附件2) and the bulletin agree to the cent. A trainee who
bound his electronic training voucher at enrolment sees it certified, then redeemed with the
payment (以证换券), each step dated on his own voucher page.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Locator, Page, expect

from chizheng.accounts.models import Role
from chizheng.core import clock
from chizheng.subsidy import services
from chizheng.subsidy.models import Claim, Fund
from chizheng.subsidy.tests.conftest import CLAIM_DAY, assess
from chizheng.training.tests.conftest import build_world

from .conftest import login, logout, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def _yuan(locator: Locator) -> Decimal:
    """An amount as the page writes it (784,800.00)."""
    return Decimal(locator.inner_text().replace(",", ""))


def _review(page: Page, base: str, claim_id: int, status: str) -> None:
    page.goto(f"{base}/subsidy/claims/{claim_id}/")
    form = page.get_by_test_id("review-form")
    form.get_by_label("审核结论").select_option("approve")
    form.get_by_label("审核意见").fill("同意")
    page.get_by_test_id("review").click()
    expect(page.get_by_test_id("claim-status")).to_have_text(status)


def test_a_claim_from_calculation_to_disbursement(live_server, page: Page, make_user, city) -> None:
    base = live_server.url
    with clock.freeze(dt.date(2022, 5, 20)):
        w = build_world(make_user)
    holder = w.people[0]
    with clock.freeze(dt.date(2022, 5, 20)):
        approved = w.approved()
        voucher = services.voucher_issue(actor=w.hr_a, person_id=holder.pk)
        services.voucher_bind(
            actor=w.applicant, number=voucher.number, class_id=approved.pk, person_id=holder.pk
        )
    training_class = assess(w, training_class=approved)
    worker = make_user(Role.WORKER, person=holder)
    finance_a, finance_b = make_user(Role.FINANCE), make_user(Role.FINANCE)
    for u in (w.applicant, w.industry_a, w.industry_b, w.hr_a, w.hr_b, finance_a, finance_b):
        u.display_name = u.username
        u.save()
    with clock.freeze(dt.date(2022, 1, 10)):
        for source, amount in (
            ("skills_upgrade_account", "30000.50"),
            ("employment_subsidy", "100000"),
        ):
            services.fund_budget(
                actor=finance_a, source=source, year=2022, amount=Decimal(amount), reason="年度预算"
            )

    # The institution calculates (28 certified of 30) and signs the commitment of 附件2.
    with clock.freeze(CLAIM_DAY):
        login(page, base, w.applicant.username)
        page.goto(f"{base}/subsidy/classes/{training_class.pk}/")
        page.get_by_test_id("calculate").click()
        expect(page.get_by_test_id("calc-total")).to_have_text("44,800.00")
        expect(page.get_by_test_id("calculation")).to_contain_text("无证书：以证换券、无证无价")
        expect(page.get_by_test_id(f"voucher-{holder.pk}")).to_contain_text("已取证，待兑付")
        form = page.get_by_test_id("submit-form")
        form.get_by_role("checkbox").check()
        form.get_by_label("申请承诺人").fill("张校长")
        shot(page, "subsidy-01-calculation")
        page.get_by_test_id("submit").click()
        expect(page.get_by_test_id("claim-status")).to_have_text("待行业主管部门初审")
        expect(page.get_by_test_id("form-applicant")).to_have_text("张校长")
        claim = Claim.objects.get(training_class=training_class)
        logout(page)

    for user, day, status in (
        (w.industry_a, dt.date(2022, 6, 29), "待行业主管部门复核"),
        (w.industry_b, dt.date(2022, 6, 30), "公示中"),
    ):
        with clock.freeze(day):
            login(page, base, user.username)
            _review(page, base, claim.pk, status)
            logout(page)

    # The public, not signed in: the notice, masked, and an objection.
    with clock.freeze(dt.date(2022, 7, 1)):
        page.goto(f"{base}/notices/")
        expect(page.get_by_test_id("notices")).to_contain_text("2022-切割-01")
        listing = page.content()
        page.get_by_role("link", name="2022-切割-01").click()
        expect(page.get_by_test_id("notice-amount")).to_have_text("44,800.00")
        html = page.content()
        assert ID_PATTERN.findall(listing + html) == []
        for p in w.people[:30]:
            assert p.id_number not in html
        shot(page, "subsidy-02-public-notice")
        form = page.get_by_test_id("objection")
        form.get_by_label("异议内容").fill("学员名单中有人培训期间在外地务工。")
        form.get_by_role("button", name="提交异议").click()
        expect(page.get_by_role("status")).to_contain_text("您的异议已收到")

    # HR: not before the fifth working day has passed, not with the objection open.
    with clock.freeze(dt.date(2022, 7, 6)):
        login(page, base, w.hr_a.username)
        page.goto(f"{base}/subsidy/claims/{claim.pk}/")
        page.get_by_test_id("notice-close").click()
        expect(page.get_by_role("alert")).to_contain_text("期满后方可结束公示")
    with clock.freeze(dt.date(2022, 7, 7)):
        page.goto(f"{base}/subsidy/claims/{claim.pk}/")
        page.get_by_test_id("notice-close").click()
        expect(page.get_by_role("alert")).to_contain_text("异议尚有1件未处理")
        form = page.get_by_test_id("objection-form")
        form.get_by_label("处理结论").select_option("dismissed")
        form.get_by_label("处理情况").fill("经核查签到记录和录像，该学员全程参训，异议不成立。")
        form.get_by_role("button", name="登记处理").click()
        expect(page.get_by_role("status")).to_contain_text("异议处理情况已登记")
        page.get_by_test_id("notice-close").click()
        expect(page.get_by_test_id("claim-status")).to_have_text("待人社部门初审")
        expect(page.get_by_test_id("form-notice")).to_contain_text("公示期 5 个工作日")
        _review(page, base, claim.pk, "待人社部门复核")
        logout(page)
    with clock.freeze(dt.date(2022, 7, 8)):
        login(page, base, w.hr_b.username)
        _review(page, base, claim.pk, "待财政部门初审")
        logout(page)
    with clock.freeze(dt.date(2022, 7, 11)):
        login(page, base, finance_a.username)
        _review(page, base, claim.pk, "待财政部门复核")
        logout(page)
        login(page, base, finance_b.username)
        _review(page, base, claim.pk, "待拨付")
        logout(page)

    # Finance pays: the special account runs out, the rest from employment subsidy funds.
    with clock.freeze(dt.date(2022, 7, 12)):
        login(page, base, finance_a.username)
        page.goto(f"{base}/subsidy/claims/{claim.pk}/")
        page.get_by_test_id("disburse").click()
        expect(page.get_by_test_id("claim-status")).to_have_text("已拨付")
        paid = _yuan(page.get_by_test_id("form-paid"))
        special = _yuan(page.get_by_test_id("part-skills_upgrade_account"))
        employment = _yuan(page.get_by_test_id("part-employment_subsidy"))
        expect(page.get_by_test_id("form-paid-wan")).to_have_text("4.4800")
        shot(page, "subsidy-03-paid-annex2")
        assert (paid, special, employment) == (
            Decimal("44800.00"),
            Decimal("30000.50"),
            Decimal("14799.50"),
        )
        assert special + employment == paid

        page.goto(f"{base}/subsidy/funds/")
        balance_special = _yuan(page.get_by_test_id("balance-skills_upgrade_account"))
        balance_employment = _yuan(page.get_by_test_id("balance-employment_subsidy"))
        assert (balance_special, balance_employment) == (Decimal("0.00"), Decimal("85200.50"))
        budgets = sum(f.budget for f in Fund.objects.all())
        assert budgets - balance_special - balance_employment == paid
        shot(page, "subsidy-04-funds")

        page.goto(f"{base}/subsidy/bulletin/?start=2022-07-01&end=2022-09-30")
        assert _yuan(page.get_by_test_id("bulletin-total")) == paid
        assert _yuan(page.get_by_test_id("bulletin-skills_upgrade_account")) == special
        assert _yuan(page.get_by_test_id("bulletin-employment_subsidy")) == employment
        shot(page, "subsidy-05-bulletin")
        logout(page)

    # The trainee's own voucher page: every step, dated, in plain words.
    with clock.freeze(dt.date(2022, 7, 13)):
        login(page, base, worker.username)
        page.goto(f"{base}/subsidy/vouchers/")
        steps = page.get_by_test_id(f"voucher-steps-{voucher.pk}")
        for text in (
            "2022-05-20 发放给本人：有效期至 2023-05-19",
            "2022-05-20 报名时绑定培训班：绑定培训班 2022-切割-01",
            "取得证书，待补贴拨付时兑付",
            f"2022-07-12 已兑付（以证换券）：补贴申领 {claim.pk}（2022-切割-01）拨付：以证换券 1600.00 元",
        ):
            expect(steps).to_contain_text(text)
        expect(page.get_by_test_id("my-vouchers")).to_contain_text("兑付 1,600.00 元")
        shot(page, "subsidy-06-my-voucher")
        logout(page)
