"""The quarterly bulletin carries the subsidy disbursements by county and by fund (§三(三)),
the same figures, to the cent, as the subsidy app's bulletin; a county sees only its own."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from chizheng.accounts.models import Role
from chizheng.plan.reports import report_build
from chizheng.plan.services import plan_load
from chizheng.subsidy.selectors import disbursements

pytestmark = pytest.mark.django_db


def test_quarterly_bulletin_lists_what_was_paid(
    make_user: Any, county: Any, monkeypatch: Any
) -> None:
    from chizheng.subsidy import selectors as subsidy_selectors
    from chizheng.subsidy.selectors import Bulletin, CountyTotal, FundTotal

    xinhua = county("410402")
    paid = Bulletin(
        start=dt.date(2022, 4, 1),
        end=dt.date(2022, 6, 30),
        by_county=[
            CountyTotal(xinhua.code, xinhua.name, 2, 55, Decimal("88000.00"), Decimal("1600.00"))
        ],
        by_fund=[
            FundTotal("skills_upgrade_account", "职业技能提升行动专账", Decimal("60000.00")),
            FundTotal("employment_subsidy", "就业补助资金", Decimal("28000.00")),
        ],
        total=Decimal("88000.00"),
        recovered=Decimal("1600.00"),
    )
    seen: list[Any] = []

    def fake(*, actor: Any, start: dt.date, end: dt.date) -> Bulletin:
        seen.append((actor, start, end))
        return paid

    monkeypatch.setattr("chizheng.plan.reports.disbursements", fake)
    office = make_user(Role.PROGRAMME_OFFICE)
    report = report_build(actor=office, plan=plan_load(), kind="quarterly", index=2)
    by_county = next(s for s in report.sections if s.title.startswith("补贴资金拨付情况（按县"))
    row = next(r for r in by_county.rows if r[1] == "新华区")
    assert row[2:] == [2, 55, "8.8", "0.16"]
    by_fund = next(s for s in report.sections if s.title.startswith("补贴资金拨付情况（按资金来源"))
    assert by_fund.rows[-1] == ["合计", "8.8"]
    assert seen == [(office, dt.date(2022, 4, 1), dt.date(2022, 6, 30))]
    assert subsidy_selectors.disbursements is disbursements  # the real one is what the report calls


def test_the_real_bulletin_is_scoped(make_user: Any, county: Any) -> None:
    ruzhou = make_user(Role.COUNTY_HR, county=county("410482"))
    report = report_build(actor=ruzhou, plan=plan_load(), kind="quarterly", index=1)
    by_county = next(s for s in report.sections if s.title.startswith("补贴资金拨付情况（按县"))
    assert [r[1] for r in by_county.rows] == ["汝州市"]
