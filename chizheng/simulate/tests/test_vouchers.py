"""The simulated year's vouchers: issued and bound at enrolment, certified or void after the
assessment, redeemed by the paid claims, one bound to another class refused on a claim
line; nothing dated after "today", the books balanced, the same seed the same vouchers."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from chizheng import demo
from chizheng.accounts.models import User
from chizheng.simulate import run
from chizheng.simulate.scale import SLICE, Scale
from chizheng.simulate.tests.books import broken_but_planted
from chizheng.subsidy.models import ClaimLine, Voucher, VoucherEvent

pytestmark = pytest.mark.django_db

TODAY = dt.date(2022, 5, 10)
# Every class of this year brings vouchers (the year's first draws always do): mostly
# assessed, half their claims paid, the others left calculated; two drafts.
SMALL: Scale = dataclasses.replace(
    SLICE,
    name="vouchers",
    classes_per_county=5,
    trainees=(5, 6),
    states={"draft": 1, "assessed": 4},
    counties=("410402",),
    claim_share=1.0,
    claim_states={"calculated": 1, "paid": 1},
)


@pytest.fixture
def year() -> run.Summary:
    demo.build(people=5, areas=("registry",))
    return run.simulate(SMALL, year=2022, seed=3, today=TODAY)


def _statuses() -> Counter[str]:
    return Counter(
        Voucher.objects.filter(person__enrolments__training_class__batch__contains="模拟")
        .distinct()
        .values_list("status", flat=True)
    )


def test_vouchers_in_every_state_and_the_loop_closed(year: run.Summary) -> None:
    assert year.claims["paid"] >= 1 and year.claims["calculated"] >= 1
    assert set(_statuses()) == {"issued", "bound", "certified", "redeemed", "void"}
    for v in Voucher.objects.filter(status="redeemed"):
        (line,) = ClaimLine.objects.filter(voucher=v, claim__status="paid")
        assert line.payable and line.amount == v.amount and line.person_id == v.person_id
        assert [e.name for e in v.events.order_by("at", "id")] == [
            "issue",
            "bind",
            "certify",
            "redeem",
        ]
    assert VoucherEvent.objects.filter(name="void", reason__contains="无证无价").exists()
    (refused,) = ClaimLine.objects.filter(reason__contains="已绑定培训班")
    assert not refused.payable and "（§20(5)）" in refused.reason
    assert refused.claim.status == "calculated"
    elsewhere = Voucher.objects.get(person_id=refused.person_id, status="bound")
    assert elsewhere.training_class is not None and elsewhere.training_class.status == "draft"
    assert broken_but_planted() == []
    end = timezone.make_aware(dt.datetime(2022, 5, 11))
    assert not VoucherEvent.objects.filter(at__gte=end).exists()
    assert not Voucher.objects.filter(issued_on__gt=TODAY).exists()
    holder = User.objects.get(username="chiquan")  # the demo's login of a redeemed voucher
    assert Voucher.objects.filter(person=holder.person, status="redeemed").exists()


def test_a_second_run_adds_no_voucher(year: run.Summary) -> None:
    before = (Voucher.objects.count(), VoucherEvent.objects.count(), _statuses())
    run.simulate(SMALL, year=2022, seed=3, today=TODAY)
    assert (Voucher.objects.count(), VoucherEvent.objects.count(), _statuses()) == before
