"""The pages render in every state of a claim, for each role that sees it, and the claim
page fills in the lower half of 附件2."""

from __future__ import annotations

import datetime as dt

import pytest

from chizheng.api.tests.clients import ApiClient
from chizheng.core import clock
from chizheng.subsidy import services

from .conftest import CLAIM_DAY, fund
from .flow import approved, calculated, on_notice, seen, submitted

pytestmark = pytest.mark.django_db


def _get(user, url: str) -> str:
    c = ApiClient()
    c.force_login(user)
    r = c.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return r.content.decode()


def test_the_class_page_offers_the_calculation(money) -> None:
    html = _get(money.w.applicant, f"/subsidy/classes/{money.training_class.pk}/")
    assert 'data-testid="calculate"' in html
    # the class's county bureau sees the page, not the claim's button (subsidy.claim)
    html = _get(money.w.hr_a, f"/subsidy/classes/{money.training_class.pk}/")
    assert 'data-testid="calculate"' not in html
    c = ApiClient()
    c.force_login(money.w.applicant)
    with clock.freeze(CLAIM_DAY):
        r = c.post(f"/subsidy/classes/{money.training_class.pk}/calculate/")
    assert r.status_code == 302
    r = c.get(f"/subsidy/classes/{money.training_class.pk}/")
    assert r.status_code == 302 and "/subsidy/claims/" in r["Location"]


@pytest.mark.parametrize("stage", ["calculated", "submitted", "on_notice", "approved", "paid"])
def test_the_claim_page_in_every_state(money, stage) -> None:
    fund(money, "skills_upgrade_account", "20000")
    fund(money, "employment_subsidy", "50000")
    make = {
        "calculated": calculated,
        "submitted": submitted,
        "on_notice": on_notice,
        "approved": approved,
        "paid": approved,
    }[stage]
    claim = make(money)
    if stage == "on_notice":
        with clock.freeze(dt.date(2022, 7, 1)):
            services.objection_submit(claim_id=claim.pk, text="有学员未参加培训。")
    if stage == "paid":
        with clock.freeze(dt.date(2022, 7, 12)):
            services.claim_disburse(actor=money.finance_a, claim_id=claim.pk)
    with clock.freeze(dt.date(2022, 7, 12)):
        for user in (
            money.w.applicant,
            money.w.industry_a,
            money.w.hr_a,
            money.office,
            money.finance_a,
        ):
            html = _get(user, f"/subsidy/claims/{claim.pk}/")
            assert "补贴资金申领" in html and "44,800.00" in html
            assert "我郑重承诺对提供的各项材料和信息真实性负责" in html
        for url in (
            "/subsidy/",
            "/subsidy/funds/",
            "/subsidy/standards/",
            "/subsidy/vouchers/",
            "/subsidy/bulletin/?start=2022-07-01&end=2022-09-30",
        ):
            _get(money.office, url)
    if stage == "paid":
        assert "2022年7月12日" in html and '"form-paid-wan">4.4800<' in html
        assert (
            '职业技能提升行动专账（2022年度）2.0000 万元（<span class="num">20000.00</span> 元）'
            in html
        )
    if stage == "approved":
        assert "初审人：" in html and "复核人：" in html and "公示期 5 个工作日" in html


def test_the_reviewer_acts_through_the_page(money) -> None:
    claim = submitted(money)
    c = ApiClient()
    c.force_login(money.w.industry_a)
    with clock.freeze(dt.date(2022, 6, 29)):
        page = c.get(f"/subsidy/claims/{claim.pk}/").content.decode()
        assert f'name="version" value="{claim.version}"' in page
        r = c.post(
            f"/subsidy/claims/{claim.pk}/review/",
            {"decision": "approve", "opinion": "同意", **vars(seen(claim))},
        )
    assert r.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "industry_first"
