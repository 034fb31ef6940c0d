"""Every list, page, export and API response of the subsidy app is scoped: another county's
HR bureau, another department and another institution get nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from chizheng.api.tests.clients import ApiClient
from chizheng.core import clock
from chizheng.subsidy import selectors, services

from .conftest import fund
from .flow import approved, on_notice

pytestmark = pytest.mark.django_db

PAY_DAY = dt.date(2022, 7, 12)


@pytest.fixture
def paid(money):
    fund(money, "skills_upgrade_account", "100000")
    claim = approved(money)
    with clock.freeze(PAY_DAY):
        services.claim_disburse(actor=money.finance_a, claim_id=claim.pk)
    return claim


def outsiders(m):
    return (m.other_county_hr, m.other_department, m.w.other_applicant)


def test_only_office_and_finance_see_the_funds(money, paid) -> None:
    assert selectors.fund_list(actor=money.office).count() == 1
    assert selectors.fund_list(actor=money.finance_a).count() == 1
    for u in (money.w.hr_a, money.w.industry_a, money.w.applicant, money.w.inspector):
        assert not selectors.fund_list(actor=u).exists()


def test_selectors_give_outsiders_nothing(money, paid) -> None:
    for u in outsiders(money):
        assert not selectors.claim_list(actor=u).exists()
        assert not selectors.fund_list(actor=u).exists()
        b = selectors.disbursements(actor=u, start=dt.date(2022, 7, 1), end=dt.date(2022, 9, 30))
        assert b.by_county == [] and b.by_fund == [] and b.total == 0
    for u in (money.w.hr_a, money.w.industry_a, money.w.applicant, money.office, money.finance_a):
        assert [c.pk for c in selectors.claim_list(actor=u)] == [paid.pk]


def test_pages_give_outsiders_nothing(money, paid) -> None:
    for u in outsiders(money):
        c = ApiClient()
        c.force_login(u)
        with clock.freeze(PAY_DAY):
            assert c.get(f"/subsidy/claims/{paid.pk}/").status_code == 404
            assert paid.training_class.batch not in c.get("/subsidy/").content.decode()
            assert "55,200.00" not in c.get("/subsidy/funds/").content.decode()
            html = c.get("/subsidy/bulletin/?start=2022-07-01&end=2022-09-30").content.decode()
            assert "44,800.00" not in html
            xlsx = c.get("/subsidy/bulletin/?start=2022-07-01&end=2022-09-30&format=xlsx")
            assert xlsx.status_code == 200 and b"44800" not in xlsx.content


def test_the_api_gives_outsiders_nothing(money, paid) -> None:
    for u in outsiders(money):
        c = ApiClient()
        c.force_login(u)
        assert c.get(f"/api/v1/subsidy/claims/{paid.pk}").status_code == 404
        assert c.get("/api/v1/subsidy/claims").json()["count"] == 0
        assert c.get("/api/v1/subsidy/funds").json() == []
        r = c.get("/api/v1/subsidy/bulletin?start=2022-07-01&end=2022-09-30").json()
        assert r["by_county"] == [] and r["total"] == "0.00"


def test_an_outsider_cannot_act_on_the_claim(money) -> None:
    claim = on_notice(money)
    c = ApiClient()
    c.force_login(money.other_county_hr)
    with clock.freeze(dt.date(2022, 7, 7)):
        r = c.post(f"/api/v1/subsidy/claims/{claim.pk}/notice/close")
    assert r.status_code == 404
    claim.refresh_from_db()
    assert claim.status == "on_notice"
