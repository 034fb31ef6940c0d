"""电子职业培训券 (§20(5)): real-name, bound to one class, not transferable, redeemed at the
standard amount with a certificate, void without one or when expired; every step an event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from chizheng.accounts.models import Role
from chizheng.api.tests.clients import ApiClient
from chizheng.core import clock
from chizheng.core.errors import PermissionDenied
from chizheng.subsidy import selectors, services
from chizheng.subsidy.models import Voucher, VoucherStatus

from .conftest import CLAIM_DAY, assess

pytestmark = pytest.mark.django_db


def _issue(w, person, expires=dt.date(2022, 12, 31)) -> Voucher:
    with clock.freeze(dt.date(2022, 5, 21)):
        return services.voucher_issue(actor=w.hr_a, person_id=person.pk, expires_on=expires)


def _approved(w):
    with clock.freeze(dt.date(2022, 5, 20)):
        return w.approved(batch="2022-券-01")


def test_a_voucher_presented_for_another_person_is_refused(world) -> None:
    v = _issue(world, world.people[0])
    training_class = _approved(world)
    with clock.freeze(dt.date(2022, 5, 22)), pytest.raises(services.VoucherRefused) as e:
        services.voucher_bind(
            actor=world.applicant,
            number=v.number,
            class_id=training_class.pk,
            person_id=world.people[1].pk,
        )
    assert e.value.code == "voucher_not_transferable"
    v.refresh_from_db()
    assert v.status == VoucherStatus.ISSUED and v.training_class_id is None


def test_bound_then_redeemed_at_the_standard_with_a_certificate_else_void(world) -> None:
    v0 = _issue(world, world.people[0])
    v29 = _issue(world, world.people[29])
    training_class = _approved(world)
    with clock.freeze(dt.date(2022, 5, 22)):
        for v, p in ((v0, world.people[0]), (v29, world.people[29])):
            services.voucher_bind(
                actor=world.applicant, number=v.number, class_id=training_class.pk, person_id=p.pk
            )
    assess(world, certified=28, training_class=training_class)  # people 28, 29 are not certified
    with clock.freeze(CLAIM_DAY), pytest.raises(services.VoucherRefused):
        services.voucher_bind(
            actor=world.applicant,
            number=v0.number,
            class_id=training_class.pk,
            person_id=world.people[0].pk,
        )
    with clock.freeze(CLAIM_DAY):
        services.claim_calculate(actor=world.applicant, class_id=training_class.pk)
    v0.refresh_from_db()
    v29.refresh_from_db()
    assert (v0.status, v0.amount, v0.standard_key) == ("redeemed", Decimal("1600.00"), "level_4")
    assert v0.certificate is not None and v0.certificate.person_id == world.people[0].pk
    assert v29.status == VoucherStatus.VOID and v29.amount is None
    assert [e.name for e in v0.events.all()] == ["issue", "bind", "redeem"]
    assert [e.name for e in v29.events.all()] == ["issue", "bind", "void"]


def test_an_expired_voucher_is_void(world) -> None:
    v = _issue(world, world.people[0], expires=dt.date(2022, 6, 30))
    assert services.vouchers_sweep(on=dt.date(2022, 6, 30)) == 0
    assert services.vouchers_sweep(on=dt.date(2022, 7, 1)) == 1
    v.refresh_from_db()
    assert v.status == VoucherStatus.VOID
    # …and the person may then receive a new one.
    assert _issue(world, world.people[0]).status == VoucherStatus.ISSUED


def test_one_voucher_in_hand_at_a_time(world) -> None:
    _issue(world, world.people[0])
    with pytest.raises(services.VoucherRefused):
        _issue(world, world.people[0])


def test_a_voucher_of_a_withdrawn_class_is_void(world) -> None:
    from chizheng.training import services as training

    v = _issue(world, world.people[0])
    with clock.freeze(dt.date(2022, 5, 20)):
        training_class = world.apply(batch="2022-券-03")
        services.voucher_bind(
            actor=world.applicant,
            number=v.number,
            class_id=training_class.pk,
            person_id=world.people[0].pk,
        )
        training.class_withdraw(actor=world.applicant, class_id=training_class.pk, reason="取消")
    services.vouchers_sweep(on=dt.date(2022, 5, 21))
    v.refresh_from_db()
    assert v.status == VoucherStatus.VOID


def test_an_institution_cannot_issue(world) -> None:
    with pytest.raises(PermissionDenied):
        services.voucher_issue(
            actor=world.applicant, person_id=world.people[0].pk, expires_on=dt.date(2022, 12, 31)
        )


def test_a_worker_sees_his_vouchers_and_nobody_else_s(world, make_user) -> None:
    mine = _issue(world, world.people[0])
    _issue(world, world.people[1])
    worker = make_user(Role.WORKER, person=world.people[0])
    assert [v.pk for v in selectors.voucher_list(actor=worker)] == [mine.pk]
    c = ApiClient()
    c.force_login(worker)
    html = c.get("/subsidy/vouchers/").content.decode()
    assert mine.number in html and world.people[1].id_masked not in html


def test_the_sweep_command(world) -> None:
    from io import StringIO

    from django.core.management import call_command

    v = _issue(world, world.people[0], expires=dt.date(2022, 6, 30))
    out = StringIO()
    call_command("vouchers_sweep", "--on", "2022-07-01", stdout=out)
    assert "1 张" in out.getvalue()
    v.refresh_from_db()
    assert v.status == VoucherStatus.VOID
