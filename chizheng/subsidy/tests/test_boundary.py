"""Money and numbers typed into the subsidy API and pages: refused with a reason, never a
server error (``recover {"amount": "1e30"}`` was a 500), never rounded away."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from chizheng.api.tests.clients import ApiClient
from chizheng.core import clock
from chizheng.core.errors import ValidationError
from chizheng.subsidy import services
from chizheng.subsidy.models import Fund, Recovery

from .conftest import fund
from .flow import approved, on_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(money):
    fund(money, "skills_upgrade_account", "100000")
    claim = approved(money)
    with clock.freeze(dt.date(2022, 7, 12)):
        services.claim_disburse(actor=money.finance_a, claim_id=claim.pk)
    return claim


def test_recover_an_amount_beyond_the_columns(money, paid) -> None:
    api = ApiClient()
    api.force_login(money.finance_a)
    for amount in ("1e30", "0.001", "NaN", "-5"):
        r = api.post(
            f"/api/v1/subsidy/claims/{paid.pk}/recover",
            {"amount": amount, "reason": "冒名"},
            content_type="application/json",
        )
        assert r.status_code == 422, (amount, r.content)
        assert r.json()["detail"][0]["field"] == "amount"
    assert not Recovery.objects.exists()
    with pytest.raises(ValidationError):  # the service refuses it too (commands, pages)
        services.disbursement_recover(
            actor=money.finance_a, claim_id=paid.pk, amount=Decimal("1e30"), reason="冒名"
        )


def test_the_pages_refuse_bad_numbers_with_a_message(money, paid) -> None:
    page = ApiClient()
    page.force_login(money.finance_a)
    r = page.post(
        f"/subsidy/claims/{paid.pk}/recover/", {"amount": "1e30", "reason": "冒名"}, follow=True
    )
    assert r.status_code == 200 and "金额超出范围" in r.content.decode()
    r = page.post(
        "/subsidy/funds/",
        {"source": "employment_subsidy", "year": "二〇二二", "amount": "10", "reason": "预算"},
        follow=True,
    )
    assert r.status_code == 200 and "应为整数" in r.content.decode()
    budget = Fund.objects.filter(source="employment_subsidy").count()
    r = page.post(
        "/subsidy/funds/",
        {"source": "employment_subsidy", "year": "2022", "amount": "10", "reason": "x" * 300},
        follow=True,
    )
    assert r.status_code == 200 and "不能超过 200 个字符" in r.content.decode()
    assert Fund.objects.filter(source="employment_subsidy").count() == budget
    office = ApiClient()
    office.force_login(money.office)
    r = office.post(
        "/subsidy/vouchers/",
        {"action": "issue", "person_id": str(2**70), "expires_on": "2022-12-31"},
        follow=True,
    )
    assert r.status_code == 200 and "应在" in r.content.decode()


def test_an_objection_with_a_nul_is_refused(money) -> None:
    claim = on_notice(money)
    with pytest.raises(ValidationError) as e:
        services.objection_submit(claim_id=claim.pk, text="异议内容\x00很长", contact="")
    assert "控制字符" in e.value.message
    public = ApiClient()  # the public notice page, no sign-in
    r = public.post(f"/notices/{claim.pk}/", {"text": "异议内容\x00很长"}, follow=True)
    assert r.status_code == 200 and "控制字符" in r.content.decode()
