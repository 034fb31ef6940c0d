"""Journey: a worker's own subsidy claim (附件2 备注2: 个人申请), from his certificate to the
money in his account, through the real pages.

The worker signs in, finds 个人申领补贴 beside his certificate on his home page, names the
institution that trained him, types his bank and account (a short number is refused and he
corrects it), signs the commitment and submits; his claim page shows the header with the
account masked. The industry department's two reviewers find it in their list with the
badge 个人申请 and approve; on the public notice, read without signing in, his name is
masked and neither his ID number nor his account appears; the county HR bureau closes the
notice after its five working days and reviews twice, the finance bureau twice and pays.
The worker sees 已拨付 on his home page and the history on his claim page.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from chizheng.accounts.models import Role
from chizheng.assessment.models import Certificate
from chizheng.assessment.services import certificates_bulk_record
from chizheng.core import clock
from chizheng.subsidy import services
from chizheng.subsidy.models import Claim
from chizheng.training.tests.conftest import CODE, build_world

from .conftest import login, logout, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
ACCOUNT = "6222021234567890123"
MASKED = "6222***********0123"


def _review(page: Page, base: str, claim_id: int, status: str) -> None:
    page.goto(f"{base}/subsidy/claims/{claim_id}/")
    form = page.get_by_test_id("review-form")
    form.get_by_label("审核结论").select_option("approve")
    form.get_by_label("审核意见").fill("同意")
    page.get_by_test_id("review").click()
    expect(page.get_by_test_id("claim-status")).to_have_text(status)


def test_a_worker_claims_his_own_subsidy(live_server, page: Page, make_user, city) -> None:
    base = live_server.url
    with clock.freeze(dt.date(2022, 5, 20)):
        w = build_world(make_user)
    person = w.people[35]
    (cert,) = certificates_bulk_record(
        certificates=[
            Certificate(
                person=person,
                number="Y2022S0035",
                occupation_code=CODE,
                skill_level=4,
                kind=Certificate.Kind.SKILL_LEVEL,
                channel=Certificate.Channel.SOCIAL,
                issued_on=dt.date(2022, 6, 20),
                county=person.county,
                issuing_institution=w.evaluator,
            )
        ]
    )
    me = make_user(Role.WORKER, person=person)
    finance_a, finance_b = make_user(Role.FINANCE), make_user(Role.FINANCE)
    make_user(Role.PROGRAMME_OFFICE)
    with clock.freeze(dt.date(2022, 1, 10)):
        services.fund_budget(
            actor=finance_a,
            source="skills_upgrade_account",
            year=2022,
            amount=Decimal("50000"),
            reason="年度预算",
        )

    # The worker applies from his home page: a short account is refused, then corrected.
    with clock.freeze(dt.date(2022, 6, 28)):
        login(page, base, me.username)
        page.get_by_test_id(f"individual-apply-{cert.pk}").click()
        expect(page.get_by_test_id("individual-title")).to_contain_text("个人申领补贴")
        form = page.get_by_test_id("individual-form")
        form.get_by_label("培训机构").select_option(str(w.institution.pk))
        form.get_by_label("开户银行名称").fill("中国工商银行平顶山新华支行")
        form.get_by_label("银行帐号").fill("6222 0212 345")
        form.get_by_role("checkbox").check()
        page.get_by_test_id("individual-submit").click()
        expect(page.get_by_role("alert")).to_contain_text("应为12至32位数字（现为11位）")
        form = page.get_by_test_id("individual-form")
        expect(form.get_by_label("开户银行名称")).to_have_value("中国工商银行平顶山新华支行")
        form.get_by_label("培训机构").select_option(str(w.institution.pk))
        form.get_by_label("银行帐号").fill("6222 0212 3456 7890 123")
        form.get_by_role("checkbox").check()
        shot(page, "individual-01-form")
        page.get_by_test_id("individual-submit").click()
        expect(page.get_by_test_id("claim-status")).to_have_text("待行业主管部门初审")
        expect(page.get_by_test_id("header-account")).to_have_text(MASKED)
        expect(page.get_by_test_id("header-trained-by")).to_contain_text(w.institution.name)
        expect(page.get_by_test_id("header-evaluator")).to_have_text(w.evaluator.name)
        expect(page.get_by_test_id("form-amount")).to_have_text("1600.00")
        assert ACCOUNT not in page.content()
        shot(page, "individual-02-submitted")
        claim = Claim.objects.get(person=person)
        logout(page)

    # The industry department: the list's badge, then the two reviews.
    for user, day, status in (
        (w.industry_a, dt.date(2022, 6, 29), "待行业主管部门复核"),
        (w.industry_b, dt.date(2022, 6, 30), "公示中"),
    ):
        with clock.freeze(day):
            login(page, base, user.username)
            page.goto(f"{base}/subsidy/")
            row = page.get_by_test_id(f"claim-row-{claim.pk}")
            expect(row.get_by_test_id("individual-badge")).to_have_text("个人申请")
            _review(page, base, claim.pk, status)
            logout(page)

    # The public: his name masked, no ID number, no account.
    with clock.freeze(dt.date(2022, 7, 1)):
        page.goto(f"{base}/notices/")
        masked_name = person.name[0] + "*" * (len(person.name) - 1)
        link = page.get_by_role("link", name=f"个人申请：{masked_name}")
        listing = page.content()
        link.click()
        expect(page.get_by_test_id("notice-applicant")).to_contain_text(masked_name)
        expect(page.get_by_test_id("notice-amount")).to_have_text("1,600.00")
        html = listing + page.content()
        assert ID_PATTERN.findall(html) == [] and ACCOUNT not in html
        assert person.name not in html and person.id_number not in html
        shot(page, "individual-03-public-notice")

    # HR closes the notice after its five working days and reviews; finance reviews and pays.
    with clock.freeze(dt.date(2022, 7, 7)):
        login(page, base, w.hr_a.username)
        page.goto(f"{base}/subsidy/claims/{claim.pk}/")
        page.get_by_test_id("notice-close").click()
        expect(page.get_by_test_id("claim-status")).to_have_text("待人社部门初审")
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
    with clock.freeze(dt.date(2022, 7, 12)):
        login(page, base, finance_a.username)
        page.goto(f"{base}/subsidy/claims/{claim.pk}/")
        page.get_by_test_id("disburse").click()
        expect(page.get_by_test_id("claim-status")).to_have_text("已拨付")
        expect(page.get_by_test_id("form-paid")).to_have_text("1600.00")
        expect(page.get_by_test_id("payee")).to_contain_text(MASKED)
        assert ACCOUNT not in page.content()
        shot(page, "individual-04-paid")
        logout(page)

    # The worker: paid, with the history of every step.
    with clock.freeze(dt.date(2022, 7, 13)):
        login(page, base, me.username)
        expect(page.get_by_test_id(f"my-claim-status-{claim.pk}")).to_have_text("已拨付")
        page.get_by_test_id("my-claims").get_by_role("link", name="Y2022S0035").click()
        expect(page.get_by_test_id("claim-status")).to_have_text("已拨付")
        expect(page.get_by_test_id("history")).to_contain_text("拨付资金")
        expect(page.get_by_test_id("history")).to_contain_text("提交申领")
        shot(page, "individual-05-worker-paid")
