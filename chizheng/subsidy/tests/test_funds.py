"""Funds (§21, §三(三)): drawn in the policy's order, split when one runs out, never below
zero, never paid twice — also when two disbursements of one claim race — and recovery."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection

from chizheng.core import clock
from chizheng.core.errors import DomainError
from chizheng.subsidy import services
from chizheng.subsidy.models import ClaimStatus, Disbursement, Fund, FundEntry

from .conftest import fund
from .flow import approved

PAY_DAY = dt.date(2022, 7, 12)


def _balances() -> dict[str, Decimal]:
    return dict(Fund.objects.values_list("source", "balance"))


@pytest.mark.django_db
def test_the_draw_follows_the_order_and_splits_across_two_funds(money) -> None:
    fund(money, "employment_subsidy", "100000")
    fund(money, "skills_upgrade_account", "30000.50")
    claim = approved(money)
    with clock.freeze(PAY_DAY):
        d = services.claim_disburse(actor=money.finance_a, claim_id=claim.pk)
    parts = [(p.fund.source, p.amount) for p in d.parts.select_related("fund").order_by("id")]
    assert parts == [
        ("skills_upgrade_account", Decimal("30000.50")),
        ("employment_subsidy", Decimal("14799.50")),
    ]
    assert d.amount == Decimal("44800.00") == sum(a for _, a in parts)
    assert _balances() == {
        "skills_upgrade_account": Decimal("0.00"),
        "employment_subsidy": Decimal("85200.50"),
    }
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID


@pytest.mark.django_db
def test_funds_never_go_below_zero(money) -> None:
    fund(money, "skills_upgrade_account", "40000")
    claim = approved(money)
    with clock.freeze(PAY_DAY), pytest.raises(services.InsufficientFunds):
        services.claim_disburse(actor=money.finance_a, claim_id=claim.pk)
    assert _balances() == {"skills_upgrade_account": Decimal("40000.00")}
    assert not Disbursement.objects.exists()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED


def test_plan_draws_is_pure_and_exact() -> None:
    draws = services.plan_draws(
        ("a", "b", "c"), {"a": Decimal("0.01"), "c": Decimal("5")}, Decimal("3.00")
    )
    assert [(d.source, d.amount) for d in draws] == [("a", Decimal("0.01")), ("c", Decimal("2.99"))]


@pytest.mark.django_db
def test_a_claim_is_never_paid_twice(money) -> None:
    fund(money, "skills_upgrade_account", "100000")
    claim = approved(money)
    with clock.freeze(PAY_DAY):
        services.claim_disburse(actor=money.finance_a, claim_id=claim.pk)
        with pytest.raises(DomainError) as e:
            services.claim_disburse(actor=money.finance_b, claim_id=claim.pk)
    assert e.value.code == "already_paid"
    assert _balances() == {"skills_upgrade_account": Decimal("55200.00")}


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_disbursements_pay_once(money) -> None:
    """PostgreSQL: two threads, each its own connection, race for the claim row; SQLite
    (one writer, no row locks) runs the two one after the other — the second is refused."""
    fund(money, "skills_upgrade_account", "100000")
    claim = approved(money)
    outcomes: list[str] = []
    parallel = connection.vendor == "postgresql"
    barrier = threading.Barrier(2 if parallel else 1)

    def pay(user_id: int) -> None:
        from chizheng.accounts.models import User

        try:
            barrier.wait(timeout=10)
            services.claim_disburse(actor=User.objects.get(pk=user_id), claim_id=claim.pk)
            outcomes.append("paid")
        except DomainError as e:
            outcomes.append(e.code)
        finally:
            if parallel:
                connection.close()

    with clock.freeze(PAY_DAY):
        users = (money.finance_a.pk, money.finance_b.pk)
        if parallel:
            threads = [threading.Thread(target=pay, args=(u,)) for u in users]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=60)
        else:
            for u in users:
                pay(u)
    assert sorted(outcomes) == ["already_paid", "paid"]
    assert Disbursement.objects.filter(claim=claim).count() == 1
    assert _balances() == {"skills_upgrade_account": Decimal("55200.00")}
    assert FundEntry.objects.filter(kind="draw").count() == 1


@pytest.mark.django_db
def test_recovery_reverses_into_the_funds_with_a_reason(money) -> None:
    fund(money, "skills_upgrade_account", "30000")
    fund(money, "employment_subsidy", "20000")
    claim = approved(money)
    with clock.freeze(PAY_DAY):
        services.claim_disburse(actor=money.finance_a, claim_id=claim.pk)
    assert _balances() == {
        "skills_upgrade_account": Decimal("0.00"),
        "employment_subsidy": Decimal("5200.00"),
    }
    with clock.freeze(dt.date(2022, 9, 1)):
        with pytest.raises(DomainError):
            services.disbursement_recover(
                actor=money.finance_a, claim_id=claim.pk, amount=Decimal("1600"), reason=""
            )
        r = services.disbursement_recover(
            actor=money.finance_a,
            claim_id=claim.pk,
            amount=Decimal("16000"),
            reason="审计发现10名学员冒名参训，追缴补贴",
        )
        with pytest.raises(DomainError):
            services.disbursement_recover(
                actor=money.finance_a, claim_id=claim.pk, amount=Decimal("30000"), reason="再追"
            )
    # The last-drawn source gets its money back first.
    assert _balances() == {
        "skills_upgrade_account": Decimal("1200.00"),
        "employment_subsidy": Decimal("20000.00"),
    }
    assert r.disbursement.recovered == Decimal("16000.00")
    entries = FundEntry.objects.filter(kind="recovery")
    assert sum(e.amount for e in entries) == Decimal("16000.00")
    assert all(e.reason.startswith("审计发现") for e in entries)


@pytest.mark.django_db
def test_only_finance_disburses(money) -> None:
    fund(money, "skills_upgrade_account", "100000")
    claim = approved(money)
    with clock.freeze(PAY_DAY), pytest.raises(DomainError):
        services.claim_disburse(actor=money.office, claim_id=claim.pk)
