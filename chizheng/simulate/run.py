"""The year: the seeded draw of every class (county, institution, occupation, programme,
mode, the state it reaches by "today" and the dates that lets it reach), then each class
built through the services in the order of its start, skipping those already present (a
class is keyed by its batch), then the claims. The same seed gives the same year.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from chizheng.org.models import County
from chizheng.registry.models import Institution, Sanction
from chizheng.rules import params
from chizheng.training.models import Mode, Status, TrainingClass

from . import actors as actors_
from . import (
    capacity,
    cases,
    claims,
    competitions,
    evaluator_checks,
    individuals,
    modes,
    online_logs,
    opinions,
    plants,
    qr_sign_ins,
    scan_plants,
    vouchers,
)
from .classes import DURATION, GIVEN, SURNAMES, ClassDraw
from .scale import CLASS_STATES, Scale

Progress = Callable[[str], None]


@dataclass
class Summary:
    classes: int = 0
    made: int = 0
    skipped: int = 0
    states: Counter[str] = field(default_factory=Counter)
    claims: Counter[str] = field(default_factory=Counter)
    modes: Counter[str] = field(default_factory=Counter)
    planted: int = 0  # irregularities planted by this run (``plants``)
    seconds: float = 0.0


def _dates(
    rng: random.Random,
    state: str,
    year: int,
    today: dt.date,
    blocked: list[tuple[dt.date, dt.date]],
) -> tuple[dt.date, dt.date]:
    """(start, submitted_on) that let a class reach ``state`` by ``today``, nothing later; a
    start inside one of the ``blocked`` periods (its institution suspended) moves before it."""

    def day(lo: dt.date, hi: dt.date) -> dt.date:
        return lo + dt.timedelta(days=rng.randint(0, max(0, (hi - lo).days)))

    t = dt.timedelta
    first = dt.date(year, 2, 7)  # after the Spring Festival
    if state == Status.ASSESSED:
        start = day(first, today - t(days=DURATION + 6))
    elif state == Status.ASSESSMENT_REGISTERED:
        start = day(today - t(days=DURATION + 10), today - t(days=DURATION + 2))
    elif state == Status.IN_TRAINING:
        start = day(today - t(days=DURATION - 2), today - t(days=1))
    elif state == Status.APPROVED:
        start = day(today + t(days=5), today + t(days=30))
    else:
        start = day(today + t(days=10), today + t(days=45))
    for lo, hi in blocked:
        if lo <= start + t(days=DURATION) and start <= hi:
            start = lo - t(days=DURATION + rng.randint(1, 5))
    if state in (Status.ASSESSED, Status.ASSESSMENT_REGISTERED, Status.IN_TRAINING):
        submitted = start - t(days=rng.randint(15, 25))
    elif state == Status.APPROVED:
        submitted = min(start - t(days=20), today - t(days=6))
    elif state == Status.DRAFT:
        submitted = today - t(days=rng.randint(0, 10))  # the day it was drafted
    else:
        submitted = today - t(days=rng.randint(5, 9))
    return start, max(submitted, dt.date(year, 1, 10))


def _applied_outside(
    start: dt.date, submitted: dt.date, today: dt.date, blocked: list[tuple[dt.date, dt.date]]
) -> tuple[dt.date, dt.date]:
    """(start, submitted) moved, whole, to after a suspension in which the application would
    fall (§19 stops 提交开班申请), or before it when after would pass "today". Called once the
    class's draws are made, and drawing nothing: the rest of the year is drawn the same."""
    t = dt.timedelta
    for lo, hi in blocked:
        if lo <= submitted <= hi:
            lead = start - submitted
            later = hi + t(days=1 + start.toordinal() % 5)
            if later + lead + t(days=DURATION + 6) <= today:
                submitted, start = later, later + lead
            else:
                start = lo - t(days=DURATION + 1 + start.toordinal() % 5)
                submitted = start - lead
    return start, submitted


def _place(
    ledger: capacity.Ledger,
    trainers: list[actors_.Trainer],
    t: int,
    code: str,
    start: dt.date,
    trainees: int,
    blocked: dict[int, list[tuple[dt.date, dt.date]]],
) -> tuple[int, str, int, int]:
    """(trainer, occupation, site, room) for a class starting on ``start``: the drawn
    institution and occupation on its site with the most room if it takes ``trainees``, else
    another occupation of its catalog, else another of the county's institutions not
    suspended then; failing all, the drawn pair with whatever room it has."""
    end = start + dt.timedelta(days=DURATION)
    order = [t] + [i for i in range(len(trainers)) if i != t]
    fallback = (t, code, *ledger.best_site(trainers[t], code, start, end))
    for i in order:
        tr = trainers[i]
        if any(lo <= end and start <= hi for lo, hi in blocked.get(tr.institution.pk, [])):
            continue
        codes = [c for c, valid in tr.catalog if valid <= start]
        for c in ([code] if code in codes else []) + [c for c in codes if c != code]:
            site, room = ledger.best_site(tr, c, start, end)
            if room >= trainees:
                return i, c, site, room
    return fallback


def plan_year(
    scale: Scale, year: int, seed: int, today: dt.date, a: actors_.Actors, counties: list[County]
) -> list[ClassDraw]:
    rng = random.Random(f"{seed}-{year}-{scale.name}")
    states = list(scale.states)
    modes = list(scale.modes)
    programmes = list(scale.programmes)
    draws: list[ClassDraw] = []
    blocked: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for sanction in Sanction.objects.order_by("starts_on"):
        blocked.setdefault(sanction.institution_id, []).append(
            (sanction.starts_on, sanction.ends_on or dt.date(year, 12, 31))
        )
    ledger = capacity.Ledger(params.current().value, reserve=scale.reserve)
    for county in counties:
        trainers = a.trainers[county.pk]
        if not trainers:
            continue
        evaluator = a.evaluators[county.pk][0].pk
        for k in range(scale.classes_per_county):
            state = rng.choices(states, weights=[scale.states[s] for s in states])[0]
            if len(draws) < len(states):  # every state at least once, however small the year
                state = states[len(draws)]
            t = rng.randrange(len(trainers))
            start, submitted = _dates(
                rng, state, year, today, blocked.get(trainers[t].institution.pk, [])
            )
            able = [i for i, tr in enumerate(trainers) if any(v <= start for _, v in tr.catalog)]
            t = t if t in able else rng.choice(able or [0])
            catalog = [code for code, valid in trainers[t].catalog if valid <= start]
            start, submitted = _applied_outside(
                start, submitted, today, blocked.get(trainers[t].institution.pk, [])
            )
            mode_drawn = rng.choices(modes, weights=[scale.modes[m] for m in modes])[0]
            n = rng.randint(*scale.trainees)
            names = tuple(
                rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
                for _ in range(n)
            )
            code = rng.choice(catalog or [trainers[t].catalog[0][0]])  # a draft may precede it
            t, code, site, room = _place(ledger, trainers, t, code, start, n, blocked)
            for _ in range(scale.redraws if room < n else 0):
                # no room anywhere in the county then: another start the state allows
                again, sub_again = _dates(
                    rng, state, year, today, blocked.get(trainers[t].institution.pk, [])
                )
                placed = _place(ledger, trainers, t, code, again, n, blocked)
                if placed[3] >= n:
                    start, submitted, (t, code, site, room) = again, sub_again, placed
                    break
            if room < n:
                if room < scale.trainees[0]:
                    continue  # the county is full then: the class is not run
                n, names = room, names[:room]
            mode = mode_drawn
            if trainers[t].institution.kind == Institution.Kind.ENTERPRISE_CENTRE:
                mode = mode if mode != Mode.COMMISSIONED else Mode.ENTERPRISE_SELF
            elif mode == Mode.ENTERPRISE_SELF:
                mode = Mode.COMMISSIONED
            end = start + dt.timedelta(days=DURATION)
            ledger.book_site(site, code, start, end, n)
            certified, later = max(1, round(n * scale.certified_share)), 0
            if state == Status.ASSESSED:
                usual = end + dt.timedelta(days=2)
                last = min(
                    usual + dt.timedelta(days=scale.assessment_slack), today - dt.timedelta(days=1)
                )
                held, certified = ledger.assessment_day(evaluator, usual, last, certified)
                later = (held - usual).days
            draws.append(
                ClassDraw(
                    index=len(draws),
                    batch=f"{year}-模拟-{county.code}-{k + 1:04d}",
                    county_id=county.pk,
                    county_code=county.code,
                    trainer=t,
                    occupation=code,
                    level=rng.choice((5, 4, 4, 3)),
                    programme=rng.choices(
                        programmes, weights=[scale.programmes[p] for p in programmes]
                    )[0],
                    mode=mode,
                    state=state,
                    start=start,
                    submitted_on=submitted,
                    trainees=n,
                    names=names,
                    certified=certified,
                    absent=rng.random() < scale.absent_share * 4,
                    survey=k % scale.survey_every == 0,
                    site=site,
                    later=later,
                )
            )
    # Built in the order things happened: earlier starts first.
    return sorted(draws, key=lambda d: (d.submitted_on, d.index))


def simulate(
    scale: Scale,
    *,
    year: int,
    seed: int,
    today: dt.date,
    progress: Progress | None = None,
    every: int = 25,
    limit: int | None = None,
) -> Summary:
    """Build (or continue building) the year; returns what it holds and how long it took.
    ``limit``: make at most that many classes this time, then the claims on those built; the
    classes and claims beside the draw come in the part that completes it."""
    began = time.monotonic()
    say = progress or (lambda _: None)
    counties = list(County.objects.order_by("order"))
    if scale.counties:
        counties = [c for c in counties if c.code in scale.counties]
    a = actors_.gather(counties, year, sites=scale.sites)
    draws = plan_year(scale, year, seed, today, a, counties)
    platform = (
        Institution.objects.filter(
            kind=Institution.Kind.PLATFORM, catalog_status=Institution.CatalogStatus.LISTED
        )
        .order_by("id")
        .first()
    )
    done = set(
        TrainingClass.objects.filter(batch__in=[d.batch for d in draws]).values_list(
            "batch", flat=True
        )
    )
    summary = Summary(classes=len(draws))
    for n, draw in enumerate(draws, 1):
        if draw.batch in done:
            summary.skipped += 1
        elif limit is not None and summary.made >= limit:
            break
        else:
            vouchers.build(draw, a, today=today, platform_id=platform.pk if platform else None)
            summary.made += 1
        if n % every == 0 or n == len(draws):
            say(f"培训班 {n}/{len(draws)}，用时 {time.monotonic() - began:.0f} 秒")
    # What is built beside the draw (other modes, plants, people's own claims) picks among the
    # drawn classes: only once they are all there, so a year built in parts is the same year.
    complete = summary.made + summary.skipped == len(draws)
    if complete:
        modes.run(a, year=year, seed=seed, today=today, per_mode=scale.per_mode, platform=platform)
        summary.planted = plants.run(
            a, year=year, seed=seed, today=today, batches=[d.batch for d in draws]
        )
    online_logs.run(a, scale, year=year, today=today, platform=platform)  # credited hours
    claims.run(scale, draws, a, today=today, seed=seed, progress=say)
    if complete:
        vouchers.close(draws, a, today=today)  # a voucher bound elsewhere (§20(5))
    say(f"附件2 签署栏 {opinions.run(a, year=year, today=today)} 项")
    if complete:
        individuals.run(draws, a, today=today, progress=say)  # 个人申请 (附件2 备注2)
        say(f"职业技能竞赛 {competitions.run(a, year=year, seed=seed, today=today)} 场")
        say(f"评价机构专项检查 {evaluator_checks.run(a, year=year, today=today)} 家次")  # §20(4)
        # after the year's own records (a planted legacy 15-digit twin is no contestant)
        summary.planted += scan_plants.run(a, year=year, seed=seed, today=today, draws=draws)
        say(f"核查案件 {cases.run(a, year=year, today=today)} 件")  # the scan's findings taken up
        say(f"扫码签到 {qr_sign_ins.run(a, year=year, today=today)} 人次")  # today's sessions
    batches = [d.batch for d in draws]
    summary.states = Counter(
        TrainingClass.objects.filter(batch__in=batches).values_list("status", flat=True)
    )
    summary.modes = Counter(
        TrainingClass.objects.filter(batch__startswith=f"{year}-模拟").values_list(
            "mode", flat=True
        )
    )
    summary.claims = claims.tally(batches)
    summary.seconds = time.monotonic() - began
    return summary


__all__ = ["CLASS_STATES", "Summary", "plan_year", "simulate"]
