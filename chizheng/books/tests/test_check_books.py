"""``chizheng check-books``: the books of a paid and partly recovered claim balance; each
invariant, broken on purpose, is named and makes the command exit 1."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from chizheng.assessment.models import Certificate
from chizheng.books import checks
from chizheng.core import clock
from chizheng.subsidy import services
from chizheng.subsidy.models import ClaimLine, Fund
from chizheng.subsidy.tests.conftest import fund
from chizheng.subsidy.tests.flow import approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(money):
    fund(money, "skills_upgrade_account", "30000")  # the rest from the second source
    fund(money, "employment_subsidy", "100000")
    claim = approved(money)
    with clock.freeze(dt.date(2022, 7, 12)):
        services.claim_disburse(actor=money.finance_a, claim_id=claim.pk)
    with clock.freeze(dt.date(2022, 8, 1)):
        services.disbursement_recover(
            actor=money.finance_a, claim_id=claim.pk, amount=Decimal("1600.00"), reason="冒名顶替"
        )
    return claim


def _run() -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("check_books", stdout=out, stderr=err)
        return 0, out.getvalue(), err.getvalue()
    except SystemExit as e:
        return int(e.code or 0), out.getvalue(), err.getvalue()


def _failing(code: str) -> list[str]:
    return [r.code for r in checks.run() if not r.ok and r.code == code]


def test_the_books_of_a_paid_and_recovered_claim_balance(paid) -> None:
    results = {r.code: r for r in checks.run()}
    assert all(r.ok for r in results.values()), [r.broken for r in results.values()]
    assert results["paid_line_certificate"].checked == 28
    assert results["funds_balance"].checked == 2
    code, out, _ = _run()
    assert code == 0 and out.count("✓") == len(checks.CHECKS)


def test_a_fund_a_cent_off_is_named(paid) -> None:
    f = Fund.objects.get(source="employment_subsidy")
    Fund.objects.filter(pk=f.pk).update(balance=f.balance + Decimal("0.01"))
    assert _failing("funds_balance")
    code, _, err = _run()
    assert code == 1 and "账目不符：每项资金余额" in err


def test_a_paid_line_without_its_certificate_is_named(paid) -> None:
    line = ClaimLine.objects.filter(claim=paid, payable=True).first()
    assert line is not None
    other = Certificate.objects.exclude(person_id=line.person_id).first()
    ClaimLine.objects.filter(pk=line.pk).update(certificate=other)
    (result,) = [r for r in checks.run() if r.code == "paid_line_certificate"]
    assert result.broken == [f"申领 {paid.pk} 学员 {line.person_id}：无本人本班证书"]


def test_a_certificate_issued_before_its_class_was_assessed_is_named(paid) -> None:
    c = Certificate.objects.filter(training_class=paid.training_class).first()
    assert c is not None
    Certificate.objects.filter(pk=c.pk).update(issued_on=dt.date(2022, 6, 1))
    assert _failing("certificate_assessment")


def test_a_person_paid_twice_is_named(paid) -> None:
    line = ClaimLine.objects.filter(claim=paid, payable=True).first()
    assert line is not None
    # a second paid line for the same person, occupation and level (the database's own
    # guard is on counted lines; this one is written past it)
    ClaimLine.objects.create(
        claim=paid,
        person_id=line.person_id,
        certificate_id=line.certificate_id,
        occupation_code=line.occupation_code,
        standard_key=line.standard_key,
        amount=line.amount,
        payable=True,
        counted=False,
    )
    assert _failing("paid_once")


def test_a_recorded_attendance_below_the_rate_is_named(paid) -> None:
    line = ClaimLine.objects.filter(claim=paid, payable=True).first()
    assert line is not None
    calc = paid.calculation
    for t in calc["inputs"]["trainees"]:
        if t["person_id"] == line.person_id:
            t["attendance"] = {"rate": "0.500", "required": "0.800"}
    type(paid).objects.filter(pk=paid.pk).update(calculation=calc)
    assert _failing("paid_line_attendance")
