"""The demo's subsidies: claims in several states on the demo's assessed classes, funds with
2022 budgets, vouchers; building twice changes nothing."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from chizheng import demo
from chizheng.demo import subsidy as demo_subsidy
from chizheng.subsidy.models import Claim, Disbursement, Fund, Objection, Voucher

pytestmark = pytest.mark.django_db


def test_the_demo_subsidies(settings) -> None:
    # the hand-made claims alone (the simulated slice adds its own: chizheng/simulate/tests)
    demo.build(people=60, areas=tuple(a for a in demo.AREAS if a != "simulate"))
    if "subsidy" not in demo.AREAS:  # until the demo's owner lists the area
        demo_subsidy.build(rng=random.Random("2022-subsidy"))
    states = set(Claim.objects.values_list("status", flat=True))
    assert {"paid", "on_notice", "industry_first", "calculated"} <= states
    d = Disbursement.objects.get()
    assert d.parts.count() == 2 and sum(p.amount for p in d.parts.all()) == d.amount
    assert Fund.objects.get(source="skills_upgrade_account").balance == Decimal("0.00")
    assert sum(f.budget - f.balance for f in Fund.objects.all()) == d.amount
    assert Objection.objects.filter(outcome="open", claim__status="on_notice").count() == 1
    assert set(Voucher.objects.values_list("status", flat=True)) >= {"bound", "issued", "void"}
    counts = (Claim.objects.count(), Voucher.objects.count(), Objection.objects.count())
    demo_subsidy.build(rng=random.Random("2022-subsidy"))
    assert (Claim.objects.count(), Voucher.objects.count(), Objection.objects.count()) == counts
