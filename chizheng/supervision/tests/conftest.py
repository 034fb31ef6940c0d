"""A case world: the subsidy world's assessed class (新华区), its claim paid, a finding on it
and one in 汝州市; and the users who act on cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from chizheng.accounts.models import Role, User
from chizheng.core import clock
from chizheng.org.models import County
from chizheng.subsidy import services as subsidy
from chizheng.subsidy.models import Claim
from chizheng.subsidy.tests.conftest import Money, fund
from chizheng.subsidy.tests.conftest import money as money
from chizheng.subsidy.tests.conftest import world as world
from chizheng.subsidy.tests.flow import approved
from chizheng.supervision.models import Finding

PAID_ON = dt.date(2022, 7, 12)
CASE_DAY = dt.date(2022, 8, 1)


def make_finding(county: County, *, n: int, **kw: Any) -> Finding:
    values: dict[str, Any] = {
        "year": 2022,
        "kind": "sign_in_above_present",
        "clause": "§21",
        "key": f"sign_in_above_present:{n}",
        "summary": f"{county.short_name} 签到多于在位 {n}",
        "subjects": [],
        "evidence": {"columns": ["签到", "在位"], "rows": [[12, 10]], "compared": "12 > 10"},
        "score": Decimal("10"),
        "county": county,
        "found_at": timezone.now(),
    }
    values.update(kw)
    return Finding.objects.create(**values)


@dataclass
class CaseWorld:
    m: Money
    claim: Claim
    finding: Finding  # on the paid class, 新华区
    other: Finding  # 汝州市
    office: User
    hr: User  # 新华区
    inspector: User  # 新华区
    city_inspector: User
    other_hr: User  # 汝州市
    other_inspector: User  # 汝州市
    institution_user: User


@pytest.fixture
def cw(money: Money, make_user: Any, county: Any) -> CaseWorld:
    fund(money, "skills_upgrade_account", "30000.25")
    fund(money, "employment_subsidy", "50000")
    claim = approved(money)
    with clock.freeze(PAID_ON):
        subsidy.claim_disburse(actor=money.finance_a, claim_id=claim.pk)
    claim.refresh_from_db()
    xinhua, ruzhou = county("410402"), county("410482")
    tc = money.training_class
    return CaseWorld(
        m=money,
        claim=claim,
        finding=make_finding(xinhua, n=1, classes=[tc.pk], institution=tc.institution),
        other=make_finding(ruzhou, n=2),
        office=money.office,
        hr=money.w.hr_a,
        inspector=money.w.inspector,
        city_inspector=make_user(Role.INSPECTOR),
        other_hr=money.other_county_hr,
        other_inspector=make_user(Role.INSPECTOR, county=ruzhou),
        institution_user=money.w.applicant,
    )
