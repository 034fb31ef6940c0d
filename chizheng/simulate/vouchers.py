"""The year's electronic training vouchers (§20(5)), through the services: the county HR
bureau issues vouchers to some trainees of a class when they sign up, and the institution
binds them to the class at enrolment, before it is submitted; a class withdrawn or rejected
leaves them void (the nightly sweep), an assessed one certifies those of its certified
trainees and voids the others (无证无价), and the claims of ``claims`` redeem them when they
are paid (以证换券). Some trainees hold a voucher they never bind. Once in the year, a
certified trainee of a class whose claim is still being calculated signs up for a new class
with his voucher, and the recalculated claim refuses his line: his voucher is bound to
another class. The demo's login ``chiquan`` is a trainee whose voucher was redeemed.

``build`` stands in for ``classes.build`` (same arguments): a class drawn for vouchers is
built in two parts around the binding; the others as before. ``close`` runs after the
claims. The draw of which classes and trainees is seeded by the class's own draw, so the
same seed gives the same vouchers; nothing is dated after "today".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from django.db import transaction

from chizheng.accounts.models import Role
from chizheng.core import clock
from chizheng.core.errors import DomainError
from chizheng.registry.models import Person
from chizheng.subsidy import services
from chizheng.subsidy.models import ApplicantKind, Claim, ClaimLine, ClaimStatus, Voucher
from chizheng.training import services as training
from chizheng.training.models import Enrolment, Status, TrainingClass

from .actors import Actors, user
from .classes import ClassDraw, _deliver, _review_and_deliver
from .classes import build as build_class

SHARE = 0.35  # of the classes, those whose trainees bring vouchers
# The states a class is built in two parts for: the binding happens before it is submitted
# (a withdrawn or rejected class) or before it starts (the others).
SUBMITTED_AFTER = (Status.WITHDRAWN, Status.REJECTED)
STARTED = (Status.IN_TRAINING, Status.ASSESSMENT_REGISTERED, Status.ASSESSED)


def _created_on(draw: ClassDraw, today: dt.date) -> dt.date:
    """The day the class's roster was drawn up (as ``classes.build`` dates it)."""
    if draw.state == Status.DRAFT:
        return draw.submitted_on
    return min(draw.submitted_on, today) - dt.timedelta(days=2)


def _chosen(draw: ClassDraw) -> bool:
    # every state at least once: the year's first draws are one of each (``plan_year``)
    return draw.index < 12 or random.Random(f"vouchers-{draw.batch}-{draw.start}").random() < SHARE


@transaction.atomic
def build(draw: ClassDraw, actors: Actors, *, today: dt.date, platform_id: int | None) -> str:
    """``classes.build``, with vouchers issued and bound at enrolment for a chosen class."""
    if not _chosen(draw):
        return build_class(draw, actors, today=today, platform_id=platform_id)
    trainer = actors.trainers[draw.county_id][draw.trainer]
    first = (
        Status.DRAFT
        if draw.state in SUBMITTED_AFTER
        else Status.APPROVED
        if draw.state in STARTED
        else draw.state
    )
    build_class(
        dataclasses.replace(draw, state=first), actors, today=today, platform_id=platform_id
    )
    c = TrainingClass.objects.get(batch=draw.batch)
    people = [
        e.person
        for e in Enrolment.objects.filter(training_class=c).select_related("person").order_by("id")
    ]
    _enrol_with_vouchers(c, draw, actors, people, today)
    if draw.state in SUBMITTED_AFTER:
        with clock.freeze(draw.submitted_on):
            training.class_submit(actor=trainer.applicant, class_id=c.pk)
        _review_and_deliver(c, draw, actors, trainer, people, today)
        night = draw.submitted_on + dt.timedelta(days=2)  # the sweep after the decision
        if night <= today:
            with clock.freeze(night):
                services.vouchers_sweep(on=night)
        return draw.state
    if draw.state not in STARTED:
        return draw.state
    state = _deliver(c, draw, actors, trainer.applicant, people, today)
    night = draw.held + dt.timedelta(days=2)  # the sweep the night after the results
    if state == Status.ASSESSED and night <= today:
        with clock.freeze(night):
            c.refresh_from_db()
            services.vouchers_settle(training_class=c)
    return state


def _enrol_with_vouchers(
    c: TrainingClass, draw: ClassDraw, actors: Actors, people: list[Person], today: dt.date
) -> None:
    """Issued when they sign up, bound at enrolment; one more trainee of an early class holds
    a voucher he does not bind (已发放)."""
    day = _created_on(draw, today)
    hr = actors.county_hr[draw.county_id][0]
    applicant = actors.trainers[draw.county_id][draw.trainer].applicant
    # The third, the fourth and the last (not certified, as the last of every class): the
    # first two stay free for the year's individual claims (``individuals``), which a
    # trainee whose voucher paid for the class may not make.
    holders = list(dict.fromkeys([*people[2:4], people[-1]]))
    spare = next((p for p in people[4:] if p not in holders), None)
    with clock.freeze(day):
        for p in holders:
            v = services.voucher_issue(actor=hr, person_id=p.pk)
            services.voucher_bind(actor=applicant, number=v.number, class_id=c.pk, person_id=p.pk)
        if spare is not None and draw.state not in STARTED:
            services.voucher_issue(actor=hr, person_id=spare.pk)


def close(draws: list[ClassDraw], actors: Actors, *, today: dt.date) -> None:
    """After the claims: a certified trainee without a voucher, of a class whose claim is
    still calculated, signs up for a drafted class with a new voucher bound to it; the
    institution recalculates its claim, and his line fails (bound to another class)."""
    batches = [d.batch for d in draws]
    _holder_login(batches)
    if ClaimLine.objects.filter(
        claim__training_class__batch__in=batches, reason__contains="已绑定培训班"
    ).exists():
        return  # done on an earlier run
    drafts = {d.batch: d for d in draws if d.state == Status.DRAFT}
    claims = (
        Claim.objects.filter(
            applicant_kind=ApplicantKind.INSTITUTION,
            training_class__batch__in=batches,
            status=ClaimStatus.CALCULATED,
        )
        .select_related("training_class")
        .order_by("calculated_on", "pk")
    )
    by_batch = {d.batch: d for d in draws}
    for claim in claims:
        if claim.training_class is None:
            continue
        line = (
            claim.lines.filter(payable=True, voucher__isnull=True)
            .exclude(person__in=Voucher.objects.values("person"))
            .order_by("pk")
            .first()
        )
        draw = by_batch.get(claim.training_class.batch)
        target = next(
            (
                d
                for d in drafts.values()
                if draw is not None and d.county_id == draw.county_id and d.submitted_on <= today
            ),
            None,
        )
        if line is None or draw is None or target is None:
            continue
        day = max(claim.calculated_on, target.submitted_on) + dt.timedelta(days=1)
        if day > today:
            continue
        _sign_up_elsewhere(claim, line.person_id, draw, target, actors, day)
        return


def _holder_login(batches: list[str]) -> None:
    """The demo's login of a trainee whose voucher went round the whole loop (``chiquan``,
    持券): his own voucher page shows each step."""
    v = (
        Voucher.objects.filter(training_class__batch__in=batches, status="redeemed")
        .select_related("person")
        .order_by("pk")
        .first()
    )
    if v is not None:
        user("chiquan", v.person.name, Role.WORKER, person=v.person)


@transaction.atomic
def _sign_up_elsewhere(
    claim: Claim, person_id: int, draw: ClassDraw, target: ClassDraw, actors: Actors, day: dt.date
) -> None:
    assert claim.training_class is not None  # a class's claim (``close``)
    other = TrainingClass.objects.get(batch=target.batch)
    applicant = actors.trainers[target.county_id][target.trainer].applicant
    with clock.freeze(day):
        try:
            training.roster_add(actor=applicant, class_id=other.pk, person_ids=[person_id])
            v = services.voucher_issue(
                actor=actors.county_hr[draw.county_id][0], person_id=person_id
            )
            services.voucher_bind(
                actor=applicant, number=v.number, class_id=other.pk, person_id=person_id
            )
            services.claim_calculate(
                actor=actors.trainers[draw.county_id][draw.trainer].applicant,
                class_id=claim.training_class.pk,
            )
        except DomainError:
            transaction.set_rollback(True)  # the year goes on without this case
