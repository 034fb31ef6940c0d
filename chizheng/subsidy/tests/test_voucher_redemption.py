"""以证换券 through the claim (§20(5)): a trainee's claim line checks the voucher it presents —
his own, bound to this class, valid when the class began — and records it; the voucher is
certified after the assessment and redeemed only when the claim is paid, in the payment's
transaction, at the line's amount; a voucher bound elsewhere, expired or another person's
makes the line unpayable; one whose holder is not certified, or whose line is not paid,
goes void; nothing is redeemed twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from chizheng.accounts.models import Role
from chizheng.books import checks
from chizheng.core import clock
from chizheng.subsidy import services, workflow
from chizheng.subsidy.models import ClaimLine, Fund, Voucher, VoucherStatus
from chizheng.training import services as training
from chizheng.training.models import Enrolment, TrainingClass
from chizheng.training.tests.conftest import World, seen

from .conftest import CLAIM_DAY, Money, assess, fund
from .flow import approved, calculated
from .flow import seen as claim_seen

pytestmark = pytest.mark.django_db

PAY_DAY = dt.date(2022, 7, 12)


def _issue(w: World, n: int, expires: dt.date = dt.date(2022, 12, 31)) -> Voucher:
    with clock.freeze(dt.date(2022, 5, 21)):
        return services.voucher_issue(actor=w.hr_a, person_id=w.people[n].pk, expires_on=expires)


def _bind(w: World, v: Voucher, training_class: TrainingClass, n: int) -> Voucher:
    with clock.freeze(dt.date(2022, 5, 22)):
        return services.voucher_bind(
            actor=w.applicant, number=v.number, class_id=training_class.pk, person_id=w.people[n].pk
        )


def _approve(w: World, training_class: TrainingClass) -> TrainingClass:
    training.class_submit(actor=w.applicant, class_id=training_class.pk)
    for user in (w.industry_a, w.industry_b, w.hr_a, w.hr_b):
        training.class_review(
            actor=user,
            class_id=training_class.pk,
            seen=seen(training_class),
            decision="approve",
            opinion="同意",
        )
    training_class.refresh_from_db()
    return training_class


def _money(w: World, make_user, county, training_class: TrainingClass) -> Money:
    from chizheng.org.models import Department

    m = Money(
        w=w,
        training_class=training_class,
        office=make_user(Role.PROGRAMME_OFFICE),
        office_b=make_user(Role.PROGRAMME_OFFICE),
        finance_a=make_user(Role.FINANCE),
        finance_b=make_user(Role.FINANCE),
        other_county_hr=make_user(Role.COUNTY_HR, county=county("410482")),
        other_department=make_user(Role.INDUSTRY, department=Department.objects.first()),
    )
    fund(m, "employment_subsidy", "100000")
    return m


@pytest.fixture
def held(world: World, make_user, county) -> tuple[Money, dict[int, Voucher]]:
    """A class whose trainees 0, 1 and 29 bound their vouchers at enrolment; 28 of its 30
    are certified (29 is not); funds to pay its claim."""
    vouchers = {n: _issue(world, n) for n in (0, 1, 29)}
    with clock.freeze(dt.date(2022, 5, 20)):
        training_class = world.approved(batch="2022-券-01")
    for n, v in vouchers.items():
        _bind(world, v, training_class, n)
    training_class = assess(world, certified=28, training_class=training_class)
    return _money(world, make_user, county, training_class), vouchers


def _line(m: Money, n: int) -> ClaimLine:
    return ClaimLine.objects.get(claim__training_class=m.training_class, person=m.w.people[n])


def _fresh(v: Voucher) -> Voucher:
    return Voucher.objects.get(pk=v.pk)


def test_certified_at_the_claim_and_redeemed_only_when_it_is_paid(held) -> None:
    m, v = held
    claim = calculated(m)
    assert (_fresh(v[0]).status, _fresh(v[29]).status) == ("certified", "void")
    assert _fresh(v[0]).certificate is not None and _fresh(v[0]).amount is None
    assert _line(m, 0).voucher_id == v[0].pk and _line(m, 0).payable
    assert _line(m, 29).voucher_id is None and not _line(m, 29).payable
    claim = approved(m)
    assert _fresh(v[0]).status == VoucherStatus.CERTIFIED  # approval is not payment
    with clock.freeze(PAY_DAY):
        services.claim_disburse(actor=m.finance_a, claim_id=claim.pk)
    v0 = _fresh(v[0])
    assert (v0.status, v0.amount, v0.standard_key) == ("redeemed", Decimal("1600.00"), "level_4")
    assert [e.name for e in v0.events.order_by("at", "id")] == [
        "issue",
        "bind",
        "certify",
        "redeem",
    ]
    redeem = v0.events.get(name="redeem")
    assert f"补贴申领 {claim.pk}" in redeem.reason and redeem.actor == m.finance_a
    assert redeem.at.date() == PAY_DAY
    void = _fresh(v[29]).events.get(name="void")
    assert "结业未取得本班证书" in void.reason
    assert {r.code: r.ok for r in checks.run()}["voucher_redeemed"]


def test_a_payment_retried_or_repeated_redeems_once(held) -> None:
    m, v = held
    claim = approved(m)
    Fund.objects.update(balance=Decimal("100.00"))  # not enough: the payment fails …
    with clock.freeze(PAY_DAY), pytest.raises(services.InsufficientFunds):
        services.claim_disburse(actor=m.finance_a, claim_id=claim.pk)
    assert _fresh(v[0]).status == VoucherStatus.CERTIFIED  # … and redeems nothing
    Fund.objects.update(balance=Decimal("100000.00"))
    with clock.freeze(PAY_DAY):
        services.claim_disburse(actor=m.finance_a, claim_id=claim.pk)  # the retry pays
        with pytest.raises(workflow.TransitionRefused) as e:
            services.claim_disburse(actor=m.finance_a, claim_id=claim.pk)
    assert e.value.code == "already_paid"
    assert services.vouchers_sweep(on=PAY_DAY) == 0  # nothing left for the sweep
    for n in (0, 1):
        assert _fresh(v[n]).events.filter(name="redeem").count() == 1
        assert _fresh(v[n]).status == VoucherStatus.REDEEMED


def test_a_voucher_bound_to_another_class_makes_the_line_fail(held, world) -> None:
    m, _ = held
    with clock.freeze(dt.date(2022, 6, 28)):
        other = world.apply(
            batch="2022-券-02",
            start_date=dt.date(2022, 8, 1),
            end_date=dt.date(2022, 8, 20),
            roster=[world.people[5], *world.people[30:40]],
        )
        v5 = services.voucher_issue(actor=world.hr_a, person_id=world.people[5].pk)
        services.voucher_bind(
            actor=world.applicant, number=v5.number, class_id=other.pk, person_id=world.people[5].pk
        )
    claim = calculated(m)
    line = _line(m, 5)
    assert not line.payable and line.voucher_id is None
    assert "已绑定培训班 2022-券-02，不是本班 2022-券-01" in line.reason
    assert "（§20(5)）" in line.reason and v5.number not in line.reason  # named, masked
    assert v5.number[:7] in line.reason and v5.number[-4:] in line.reason
    assert claim.persons == 27 and _fresh(v5).status == VoucherStatus.BOUND


def test_a_voucher_expired_when_the_class_began_makes_the_line_fail(
    world, make_user, county
) -> None:
    v = _issue(world, 0, expires=dt.date(2022, 6, 10))
    with clock.freeze(dt.date(2022, 5, 20)):
        training_class = world.apply(batch="2022-券-03")
    _bind(world, v, training_class, 0)  # valid on 06-06, the start then
    later = dt.date(2022, 6, 13)
    with clock.freeze(dt.date(2022, 5, 23)):
        training.class_update(
            actor=world.applicant,
            class_id=training_class.pk,
            start_date=later,
            end_date=later + dt.timedelta(days=20),
        )
        training_class = _approve(world, training_class)
    training_class = assess(world, training_class=training_class, start=later)
    m = _money(world, make_user, county, training_class)
    with clock.freeze(later + dt.timedelta(days=22)):
        services.claim_calculate(actor=world.applicant, class_id=training_class.pk)
    line = _line(m, 0)
    assert not line.payable
    assert "有效期至 2022-06-10，本班 2022-06-13 开班时已过期" in line.reason


def test_another_persons_voucher_presented_for_a_line_fails(held) -> None:
    m, v = held
    # The record says trainee 1's voucher was presented for trainee 2's roster line (as a
    # correction of the registry or an import could leave it; binding refuses it up front).
    Voucher.objects.filter(pk=v[1].pk).update(
        enrolment=Enrolment.objects.get(training_class=m.training_class, person=m.w.people[2])
    )
    claim = calculated(m)
    assert not _line(m, 2).payable
    assert "属于 学员1" in _line(m, 2).reason and "实名制、不得转让" in _line(m, 2).reason
    assert _line(m, 1).payable and _line(m, 1).voucher_id is None  # trainee 1 paid, no voucher
    claim = approved(m)
    with clock.freeze(PAY_DAY):
        services.claim_disburse(actor=m.finance_a, claim_id=claim.pk)
    v1 = _fresh(v[1])
    assert v1.status == VoucherStatus.VOID and v1.amount is None
    assert "本券未获补贴" in v1.events.get(name="forfeit").reason
    assert {r.code: r.ok for r in checks.run()}["voucher_redeemed"]


def test_the_sweep_settles_an_assessed_class_without_a_claim(held) -> None:
    _, v = held
    assert services.vouchers_sweep(on=CLAIM_DAY) == 3
    assert [_fresh(v[n]).status for n in (0, 1, 29)] == ["certified", "certified", "void"]
    assert services.vouchers_sweep(on=CLAIM_DAY) == 0


def test_a_rejected_claim_voids_its_vouchers(held) -> None:
    m, v = held
    claim = calculated(m)
    with clock.freeze(CLAIM_DAY):
        services.claim_submit(
            actor=m.w.applicant,
            claim_id=claim.pk,
            applicant_name="张校长",
            commitment=services.COMMITMENT,
        )
        services.claim_review(
            actor=m.w.industry_a,
            claim_id=claim.pk,
            seen=claim_seen(claim),
            decision="reject",
            opinion="材料不实",
        )
    v0 = _fresh(v[0])
    assert v0.status == VoucherStatus.VOID
    forfeit = v0.events.get(name="forfeit")
    assert forfeit.actor is None and f"补贴申领 {claim.pk}" in forfeit.reason


def test_a_voucher_held_but_not_bound_is_noted_and_stays_his(held, world) -> None:
    m, _ = held
    v3 = _issue(world, 3)
    claim = calculated(m)
    assert _line(m, 3).payable and _line(m, 3).voucher_id is None
    noted = next(
        t["voucher"]
        for t in claim.calculation["inputs"]["trainees"]
        if t["person_id"] == v3.person_id
    )
    assert noted["outcome"] == "warn" and "未绑定本班" in noted["compared"]
    assert _fresh(v3).status == VoucherStatus.ISSUED


def test_a_broken_book_names_the_voucher_check(held) -> None:
    m, v = held
    claim = approved(m)
    with clock.freeze(PAY_DAY):
        services.claim_disburse(actor=m.finance_a, claim_id=claim.pk)
    # a paid line that no longer names the voucher it redeemed
    ClaimLine.objects.filter(voucher=v[0]).update(voucher=None)
    (result,) = [r for r in checks.run() if r.code == "voucher_redeemed"]
    assert not result.ok
    assert any(v[0].number in b and "未关联" in b for b in result.broken)
    assert any(v[0].number in b and "没有本班已拨付的补贴明细" in b for b in result.broken)
    err = StringIO()
    with pytest.raises(SystemExit) as e:
        call_command("check_books", stdout=StringIO(), stderr=err)
    assert e.value.code == 1 and "账目不符：绑定本班的培训券在补贴拨付时兑付" in err.getvalue()


def test_a_voucher_left_unredeemed_on_a_paid_line_is_named(held) -> None:
    m, v = held
    claim = approved(m)
    with clock.freeze(PAY_DAY):
        services.claim_disburse(actor=m.finance_a, claim_id=claim.pk)
    Voucher.objects.filter(pk=v[1].pk).update(status=VoucherStatus.CERTIFIED)
    (result,) = [r for r in checks.run() if r.code == "voucher_redeemed"]
    assert result.broken == [
        f"申领 {claim.pk} 学员 {v[1].person_id}：已拨付补贴，绑定本班的培训券 {v[1].number} 未兑付"
    ]
