"""The quarterly disbursement bulletin (§三(三)): totals by county and by fund, equal to the
disbursements and fund balances to the cent; .xlsx and PDF."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from chizheng.api.tests.clients import ApiClient
from chizheng.core import clock
from chizheng.subsidy import selectors, services
from chizheng.subsidy.models import Fund

from .conftest import fund
from .flow import approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(money):
    fund(money, "skills_upgrade_account", "30000.25")
    fund(money, "employment_subsidy", "50000")
    claim = approved(money)
    with clock.freeze(dt.date(2022, 7, 12)):
        services.claim_disburse(actor=money.finance_a, claim_id=claim.pk)
    with clock.freeze(dt.date(2022, 8, 1)):
        services.disbursement_recover(
            actor=money.finance_a, claim_id=claim.pk, amount=Decimal("1600"), reason="一人冒名"
        )
    return claim


def test_totals_by_county_and_fund(money, paid) -> None:
    b = selectors.disbursements(
        actor=money.office, start=dt.date(2022, 7, 1), end=dt.date(2022, 9, 30)
    )
    assert [(c.name, c.claims, c.persons, c.amount, c.recovered) for c in b.by_county] == [
        ("新华区", 1, 28, Decimal("44800.00"), Decimal("1600.00"))
    ]
    assert [(f.source, f.amount) for f in b.by_fund] == [
        ("skills_upgrade_account", Decimal("30000.25")),
        ("employment_subsidy", Decimal("14799.75")),
    ]
    assert b.total == Decimal("44800.00") == sum(f.amount for f in b.by_fund)
    budgets = sum(f.budget for f in Fund.objects.all())
    balances = sum(f.balance for f in Fund.objects.all())
    assert budgets - balances == b.total - b.recovered
    q2 = selectors.disbursements(
        actor=money.office, start=dt.date(2022, 4, 1), end=dt.date(2022, 6, 30)
    )
    assert q2.total == 0 and q2.by_county == []


def test_the_county_sees_its_own_bulletin(money, paid) -> None:
    b = selectors.disbursements(
        actor=money.w.hr_a, start=dt.date(2022, 7, 1), end=dt.date(2022, 9, 30)
    )
    assert b.total == Decimal("44800.00")


def test_quarter() -> None:
    assert selectors.quarter(dt.date(2022, 8, 15)) == (dt.date(2022, 7, 1), dt.date(2022, 9, 30))
    assert selectors.quarter(dt.date(2022, 12, 31)) == (dt.date(2022, 10, 1), dt.date(2022, 12, 31))


def test_xlsx_and_pdf(money, paid) -> None:
    c = ApiClient()
    c.force_login(money.office)
    r = c.get("/subsidy/bulletin/?start=2022-07-01&end=2022-09-30&format=xlsx")
    wb = load_workbook(io.BytesIO(r.content))
    rows = list(wb["按县（市、区）"].iter_rows(values_only=True))
    assert rows[2][0] == "新华区" and Decimal(str(rows[2][3])) == Decimal("44800.00")
    funds = list(wb["按资金来源"].iter_rows(values_only=True))
    assert funds[1][0] == "职业技能提升行动专账" and Decimal(str(funds[1][1])) == Decimal(
        "30000.25"
    )
    pdf = c.get("/subsidy/bulletin/?start=2022-07-01&end=2022-09-30&format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    html = c.get("/subsidy/bulletin/?start=2022-07-01&end=2022-09-30").content.decode()
    assert "44,800.00" in html and "14,799.75" in html  # as finance writes money
