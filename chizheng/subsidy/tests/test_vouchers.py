"""电子职业培训券 (§20(5)): issued by real name for the policy's validity, bound at enrolment to
one class for the holder's own roster line, not transferable, void when expired unbound or
when its class ends without an assessment; every step an event. Redemption through the
claim: ``test_voucher_redemption``."""

from __future__ import annotations

import datetime as dt

import pytest

from chizheng.accounts.models import Role
from chizheng.api.tests.clients import ApiClient
from chizheng.core import clock
from chizheng.core.errors import PermissionDenied, ValidationError
from chizheng.subsidy import selectors, services
from chizheng.subsidy.models import Voucher, VoucherStatus
from chizheng.training.tests.conftest import START

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


def test_bound_for_the_holders_roster_line_and_not_after_the_assessment(world) -> None:
    v0 = _issue(world, world.people[0])
    training_class = _approved(world)
    with clock.freeze(dt.date(2022, 5, 22)):
        services.voucher_bind(
            actor=world.applicant,
            number=v0.number,
            class_id=training_class.pk,
            person_id=world.people[0].pk,
        )
    v0.refresh_from_db()
    assert v0.status == VoucherStatus.BOUND and v0.training_class_id == training_class.pk
    assert v0.enrolment is not None and v0.enrolment.person_id == world.people[0].pk
    assess(world, certified=28, training_class=training_class)
    v1 = _issue(world, world.people[1])
    with clock.freeze(CLAIM_DAY), pytest.raises(services.VoucherRefused):
        services.voucher_bind(
            actor=world.applicant,
            number=v1.number,
            class_id=training_class.pk,
            person_id=world.people[1].pk,
        )
    assert [e.name for e in v0.events.all()] == ["issue", "bind"]


def test_a_voucher_running_out_before_the_class_begins_is_not_bound(world) -> None:
    v = _issue(world, world.people[0], expires=START - dt.timedelta(days=1))
    training_class = _approved(world)
    with clock.freeze(dt.date(2022, 5, 22)), pytest.raises(services.VoucherRefused) as e:
        services.voucher_bind(
            actor=world.applicant,
            number=v.number,
            class_id=training_class.pk,
            person_id=world.people[0].pk,
        )
    assert e.value.code == "voucher_expired" and "早于本班开班日期" in e.value.message


def test_valid_for_the_policys_months_by_default_and_at_most(world) -> None:
    with clock.freeze(dt.date(2022, 5, 21)):
        v = services.voucher_issue(actor=world.hr_a, person_id=world.people[0].pk)
        assert v.expires_on == dt.date(2023, 5, 20)  # 12 months (vouchers.validity_months)
        assert v.events.get().reason == "有效期至 2023-05-20"
        with pytest.raises(ValidationError) as e:
            services.voucher_issue(
                actor=world.hr_a, person_id=world.people[1].pk, expires_on=dt.date(2023, 5, 21)
            )
    assert "最长 12 个月" in e.value.message


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


def test_the_holders_page_lists_every_step_in_plain_words(world, make_user) -> None:
    v = _issue(world, world.people[0])
    training_class = _approved(world)
    with clock.freeze(dt.date(2022, 5, 22)):
        services.voucher_bind(
            actor=world.applicant,
            number=v.number,
            class_id=training_class.pk,
            person_id=world.people[0].pk,
        )
    worker = make_user(Role.WORKER, person=world.people[0])
    c = ApiClient()
    c.force_login(worker)
    mine = c.get("/subsidy/vouchers/").content.decode()
    assert 'data-testid="my-vouchers"' in mine
    for html in (mine, c.get(f"/subsidy/vouchers/{v.pk}/").content.decode()):
        assert "2022-05-21</span> <strong>发放给本人</strong>：有效期至 2022-12-31" in html
        assert "2022-05-22</span> <strong>报名时绑定培训班</strong>：绑定培训班 2022-券-01" in html
        assert world.institution.name in html  # who bound it: the unit, not the official
    # an office's list links the voucher to the same page, without the worker's own section
    office = ApiClient()
    office.force_login(world.hr_a)
    listed = office.get("/subsidy/vouchers/").content.decode()
    assert f"/subsidy/vouchers/{v.pk}/" in listed and 'data-testid="my-vouchers"' not in listed


def test_a_voucher_page_of_another_scope_is_not_found(world, make_user, county) -> None:
    v = _issue(world, world.people[0])
    own = make_user(Role.WORKER, person=world.people[0])
    for outsider in (
        make_user(Role.WORKER, person=world.people[1]),  # another worker
        make_user(Role.COUNTY_HR, county=county("410482")),  # another county's bureau
        world.other_applicant,  # an institution it is not bound to
        world.applicant,  # …nor this one, before it is bound to its class
    ):
        c = ApiClient()
        c.force_login(outsider)
        r = c.get(f"/subsidy/vouchers/{v.pk}/")
        assert r.status_code == 404 and v.number not in r.content.decode()
        assert v.number not in c.get("/subsidy/vouchers/").content.decode()
    c = ApiClient()
    c.force_login(own)
    assert c.get(f"/subsidy/vouchers/{v.pk}/").status_code == 200
    assert c.get(f"/subsidy/vouchers/{2**70}/").status_code == 404
