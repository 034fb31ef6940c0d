"""A certified voucher (已取证，待兑付) whose class's claim never comes does not stay open for
ever (§20(5) 全过程闭环管理; the office's reading ``vouchers.claim_working_days``: 60 working
days after the certificate): the nightly sweep voids it the day after its deadline, with the
reason, audited, once; a claim submitted in time keeps it; a claim calculated after it pays
nothing for its holder, a draft calculated before it must be recalculated, and the books
still balance. The holder's page shows the deadline."""

from __future__ import annotations

import datetime as dt

import pytest

from chizheng.accounts.models import Role
from chizheng.api.tests.clients import ApiClient
from chizheng.books import checks
from chizheng.core import clock
from chizheng.core.models import AuditEvent
from chizheng.subsidy import services, voucher_selectors
from chizheng.subsidy.jobs import vouchers_sweep as sweep_job
from chizheng.subsidy.models import Claim, ClaimLine, Voucher, VoucherStatus
from chizheng.training.tests.conftest import World

from .conftest import HELD, Money, assess
from .flow import calculated, submitted
from .test_voucher_redemption import _bind, _issue, _money

pytestmark = pytest.mark.django_db

# The certificates are issued on HELD (2022-06-27). 60 working days on: 2022-09-20 — the
# Mid-Autumn holiday (Monday 2022-09-12) moves it a day past 60 weekdays (09-19), and 60
# calendar days would be 08-26.
DEADLINE = dt.date(2022, 9, 20)
AFTER = DEADLINE + dt.timedelta(days=1)


@pytest.fixture
def held(world: World, make_user, county) -> tuple[Money, dict[int, Voucher]]:
    """Trainees 0 and 1 bound their vouchers; both certified on HELD (the sweep after)."""
    vouchers = {n: _issue(world, n) for n in (0, 1)}
    with clock.freeze(dt.date(2022, 5, 20)):
        training_class = world.approved(batch="2022-券-09")
    for n, v in vouchers.items():
        _bind(world, v, training_class, n)
    training_class = assess(world, certified=28, training_class=training_class)
    services.vouchers_sweep(on=HELD + dt.timedelta(days=1))
    m = _money(world, make_user, county, training_class)
    for v in vouchers.values():
        v.refresh_from_db()
        assert v.status == VoucherStatus.CERTIFIED
    return m, vouchers


def _status(v: Voucher) -> str:
    return Voucher.objects.get(pk=v.pk).status


def test_the_deadline_counts_working_days_from_the_certificate(held) -> None:
    _, v = held
    deadline = voucher_selectors.voucher_deadline(Voucher.objects.get(pk=v[0].pk))
    assert deadline is not None and (deadline.on, deadline.working_days) == (DEADLINE, 60)


def test_void_the_day_after_the_deadline_not_on_it(held) -> None:
    _, v = held
    assert services.vouchers_sweep(on=DEADLINE) == 0
    assert (_status(v[0]), _status(v[1])) == ("certified", "certified")
    assert services.vouchers_sweep(on=AFTER) == 2
    assert (_status(v[0]), _status(v[1])) == ("void", "void")
    lapse = Voucher.objects.get(pk=v[0].pk).events.get(name="lapse")
    assert lapse.actor is None and lapse.from_status == "certified"
    assert f"至{DEADLINE}" in lapse.reason and "逾期作废" in lapse.reason
    audited = AuditEvent.objects.filter(action="voucher.lapse", object_id=str(v[0].pk))
    assert audited.count() == 1
    # idempotent: the next night (and the same night again) moves nothing
    assert services.vouchers_sweep(on=AFTER) == 0
    assert services.vouchers_sweep(on=AFTER + dt.timedelta(days=1)) == 0
    assert Voucher.objects.get(pk=v[0].pk).events.filter(name="lapse").count() == 1
    assert {r.code: r.ok for r in checks.run()}["voucher_redeemed"]


def test_the_nightly_job_runs_the_same_sweep(held) -> None:
    from chizheng.jobs.models import Job

    _, v = held

    class _Progress:
        def set_total(self, n: int) -> None: ...

        def set_done(self, n: int) -> None: ...

    job = Job(params={"day": AFTER.isoformat()})
    out = sweep_job(job, _Progress())  # type: ignore[arg-type]
    assert out.summary == {"vouchers": 2} and _status(v[0]) == "void"


def test_a_claim_submitted_in_time_keeps_its_vouchers(held) -> None:
    m, v = held
    claim = submitted(m)
    assert claim.status == "submitted"
    assert services.vouchers_sweep(on=AFTER + dt.timedelta(days=30)) == 0
    assert (_status(v[0]), _status(v[1])) == ("certified", "certified")


def test_a_draft_calculated_in_time_must_be_recalculated_and_pays_nothing_for_them(
    held,
) -> None:
    m, v = held
    draft = calculated(m)
    assert ClaimLine.objects.get(claim=draft, person=m.w.people[0]).voucher_id == v[0].pk
    assert services.vouchers_sweep(on=AFTER) == 2  # a draft is not a claim that came
    later = AFTER + dt.timedelta(days=1)
    with clock.freeze(later), pytest.raises(services.VoucherRefused) as e:
        services.claim_submit(
            actor=m.w.applicant,
            claim_id=draft.pk,
            applicant_name="张校长",
            commitment=services.COMMITMENT,
        )
    assert e.value.code == "voucher_lapsed" and "请重新测算" in e.value.message
    assert Claim.objects.get(pk=draft.pk).status == "calculated"
    with clock.freeze(later):
        claim = services.claim_calculate(actor=m.w.applicant, class_id=m.training_class.pk)
    line = ClaimLine.objects.get(claim=claim, person=m.w.people[0])
    assert not line.payable and line.amount == 0 and line.voucher_id is None
    assert "逾期未申领补贴" in line.reason and "（§20(5)）" in line.reason
    assert v[0].number not in line.reason  # named masked
    other = ClaimLine.objects.get(claim=claim, person=m.w.people[2])
    assert other.payable  # the others are paid as before
    assert claim.persons == 26
    with clock.freeze(later):
        services.claim_submit(
            actor=m.w.applicant,
            claim_id=claim.pk,
            applicant_name="张校长",
            commitment=services.COMMITMENT,
        )
    assert Claim.objects.get(pk=claim.pk).status == "submitted"
    assert {r.code: r.ok for r in checks.run()}["voucher_redeemed"]


def test_the_holder_sees_the_deadline_then_the_lapse(held, make_user) -> None:
    m, v = held
    holder = make_user(Role.WORKER, person=m.w.people[0])
    c = ApiClient()
    c.force_login(holder)
    page = c.get(f"/subsidy/vouchers/{v[0].pk}/").content.decode()
    assert 'data-testid="voucher-deadline"' in page and "2022-09-20" in page
    assert "60 个工作日" in page
    services.vouchers_sweep(on=AFTER)
    page = c.get(f"/subsidy/vouchers/{v[0].pk}/").content.decode()
    assert 'data-testid="voucher-deadline"' not in page
    assert "逾期未申领作废" in page and f"至{DEADLINE}" in page
    # another trainee's voucher page is not his
    assert c.get(f"/subsidy/vouchers/{v[1].pk}/").status_code == 404
