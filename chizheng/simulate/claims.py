"""The year's money: the simulation's budget for each fund (``fund_budget``, once), then a
claim for a share of the assessed classes, each taken through the chain of 附件2 — calculated
and submitted by its institution, reviewed by its industry department, on public notice for
the policy's working days (some drawing an objection the county HR bureau dismisses), reviewed
by the county HR bureau and by finance, and paid from the funds in §21's order — as far as
its draw and the days before "today" allow. The first paid claim has part of its payment
recovered (追缴).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction

from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.core.errors import ValidationError
from chizheng.subsidy import selectors, services
from chizheng.subsidy.models import Claim, ClaimStatus, FundEntry, Recovery
from chizheng.training.models import Status, TrainingClass

from .actors import Actors
from .classes import ClassDraw
from .scale import CLAIM_STATES, Scale

OBJECTION = "公示名单中有学员培训期间在外地务工，未实际参加培训，请核查。"
HANDLING = "经调取签到记录、培训录像和检查记录核查，该学员全程参训，异议不成立。"


def _budget(scale: Scale, a: Actors, year: int) -> None:
    reason = f"{year}年度预算（城市年度模拟）"
    if FundEntry.objects.filter(kind=FundEntry.Kind.BUDGET, reason=reason).exists():
        return
    with clock.freeze(dt.date(year, 1, 10)):
        for source, amount in scale.budgets.items():
            services.fund_budget(
                actor=a.finance[0], source=source, year=year, amount=Decimal(amount), reason=reason
            )


def _review(actor: User, claim_id: int, day: dt.date) -> None:
    with clock.freeze(day):
        seen = selectors.review_seen(claim=Claim.objects.get(pk=claim_id))
        assert seen is not None
        services.claim_review(
            actor=actor, claim_id=claim_id, decision="approve", opinion="同意", seen=seen
        )


@transaction.atomic
def claim_class(
    training_class: TrainingClass,
    draw: ClassDraw,
    a: Actors,
    target: str,
    objection: bool,
    today: dt.date,
) -> None:
    stop = CLAIM_STATES.index(target)
    applicant = a.trainers[draw.county_id][draw.trainer].applicant
    industry = a.industry[training_class.department_id]
    hr = a.county_hr[draw.county_id]
    day = draw.held + dt.timedelta(days=3)
    with clock.freeze(day):
        c = services.claim_calculate(actor=applicant, class_id=training_class.pk)
    if stop < 1 or c.persons == 0:
        return
    with clock.freeze(day):
        try:
            services.claim_submit(
                actor=applicant,
                claim_id=c.pk,
                applicant_name=f"{training_class.institution.name} 负责人",
                commitment=services.COMMITMENT,
            )
        except ValidationError:
            return  # nothing to claim: it stays calculated
    for k, (actor, state) in enumerate(((industry[0], 2), (industry[1], 3)), 1):
        if stop < state or day + dt.timedelta(days=k) > today:
            return
        _review(actor, c.pk, day + dt.timedelta(days=k))
    day += dt.timedelta(days=2)
    c.refresh_from_db()
    if objection and day + dt.timedelta(days=2) <= today:
        with clock.freeze(day + dt.timedelta(days=1)):
            o = services.objection_submit(
                claim_id=c.pk, text=OBJECTIONS_TEXT, contact="139****0001"
            )
        with clock.freeze(day + dt.timedelta(days=2)):
            services.objection_handle(
                actor=hr[0], objection_id=o.pk, outcome="dismissed", handling=HANDLING
            )
    assert c.notice_earliest_end is not None
    day = c.notice_earliest_end + dt.timedelta(days=1)
    if stop < 4 or day > today:
        return
    with clock.freeze(day):
        services.notice_close(actor=hr[0], claim_id=c.pk)
    steps = ((hr[0], 5), (hr[1], 6), (a.finance[0], 7), (a.finance[1], 8))
    for k, (actor, state) in enumerate(steps, 1):
        if stop < state or day + dt.timedelta(days=k) > today:
            return
        _review(actor, c.pk, day + dt.timedelta(days=k))
    day += dt.timedelta(days=len(steps) + 1)
    if stop < 9 or day > today:
        return
    with clock.freeze(day):
        services.claim_disburse(actor=a.finance[0], claim_id=c.pk)


OBJECTIONS_TEXT = OBJECTION


def _recover(a: Actors, batches: list[str], today: dt.date) -> None:
    """One recovery (追缴): the first paid claim of the year returns one trainee's amount."""
    claims = Claim.objects.filter(
        training_class__batch__in=batches, status=ClaimStatus.PAID
    ).order_by("disbursement__paid_on", "id")
    first = claims.first()
    if first is None or Recovery.objects.filter(disbursement__claim__in=claims).exists():
        return
    line = first.lines.filter(payable=True).order_by("id").first()
    on = first.disbursement.paid_on + dt.timedelta(days=7)
    if line is None or on > today:
        return
    with clock.freeze(on):
        services.disbursement_recover(
            actor=a.finance[0],
            claim_id=first.pk,
            amount=line.amount,
            reason="专项检查发现该学员培训期间另有全日制工作，补贴追回",
        )


def run(
    scale: Scale,
    draws: list[ClassDraw],
    a: Actors,
    *,
    today: dt.date,
    seed: int,
    progress: Callable[[str], None],
) -> None:
    """Claims on the assessed classes of ``draws`` (a class that has one already is skipped)."""
    if not draws:
        return
    year = draws[0].start.year
    _budget(scale, a, year)
    rng = random.Random(f"{seed}-{year}-{scale.name}-claims")
    states = list(scale.claim_states)
    by_batch = {
        c.batch: c
        for c in TrainingClass.objects.filter(
            batch__in=[d.batch for d in draws], status=Status.ASSESSED
        ).select_related("institution")
    }
    claimed = set(
        Claim.objects.filter(training_class__batch__in=list(by_batch)).values_list(
            "training_class__batch", flat=True
        )
    )
    # Every class drawn to be assessed, built yet or not (a run stopped part-way with
    # ``limit``), so that a resumed run draws the same for each class.
    assessed = sorted(
        (d for d in draws if d.state == Status.ASSESSED), key=lambda d: (d.held, d.index)
    )
    for n, d in enumerate(assessed, 1):
        # Drawn for every class, claimed or not, so a resumed run draws the same.
        claims_it = rng.random() < scale.claim_share
        target = rng.choices(states, weights=[scale.claim_states[s] for s in states])[0]
        objection = rng.randrange(scale.objection_every) == 0
        if claims_it and d.batch in by_batch and d.batch not in claimed:
            claim_class(by_batch[d.batch], d, a, target, objection, today)
        if n % 50 == 0 or n == len(assessed):
            progress(f"补贴申领 {n}/{len(assessed)}")
    _recover(a, list(by_batch), today)


def tally(batches: list[str]) -> Counter[str]:
    return Counter(
        Claim.objects.filter(training_class__batch__in=batches).values_list("status", flat=True)
    )
