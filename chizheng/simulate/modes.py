"""The two modes the year's draw leaves out, each with its own conditions, built through the
services after the drawn classes:

- **企业新型学徒制** (§1, §20(1)): an enterprise training centre's apprentices on labour
  contracts of 12 months or more, a class of a year (12–24 months), the §20(1) cap of 20
  apprentices per full-time teacher judged at submission; in training by "today", its
  recorded sessions and an inspection so far.
- **纯线上** (§20(3)): an occupation the programme office has put on its pure-online list,
  on a catalogued platform; assessed only on the application of an enterprise or of the
  worker himself (§20(4)): one class each way, its final assessment registered.

Keyed by batch like the drawn classes (``<year>-模拟学徒-<county>`` and
``<year>-模拟线上-<county>``): a re-run skips what exists. Nothing is dated after "today".
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from chizheng.core import clock
from chizheng.registry.models import Institution
from chizheng.rules import params
from chizheng.rules.decision import add_months
from chizheng.training import services
from chizheng.training.models import Mode, Status, TrainingClass
from chizheng.training.models import PureOnlineOccupation as Listed

from .actors import Actors, Trainer
from .classes import GIVEN, HOUR_MINUTES, SURNAMES, ClassDraw, _people, _review

# Far above any drawn class's index and below the crossed plants' (90,000 on), so the
# trainees' ID numbers never meet theirs.
FIRST_INDEX = 80_000
APPRENTICES = (3, 6)  # apprentices on one enterprise's class
ONLINE_TRAINEES = (8, 12)
# An apprenticeship class's hours (附件2): 80 class hours, 50 of them practical; it lasts the
# policy's shortest period (``apprenticeship.min_training_months``).
APPRENTICE_HOURS, APPRENTICE_PRACTICAL = 80, 50
ONLINE_HOURS = 60


def _catalogued(trainer: Trainer, start: dt.date) -> list[str]:
    """The occupations the trainer's catalog entry covers on ``start`` (§20(1))."""
    return [code for code, valid in trainer.catalog if valid <= start]


def _names(rng: random.Random, n: int) -> tuple[str, ...]:
    return tuple(
        rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        for _ in range(n)
    )


def _draw(
    index: int, batch: str, county_id: int, county_code: str, names: tuple[str, ...], **kw: object
) -> ClassDraw:
    return ClassDraw(
        index=index,
        batch=batch,
        county_id=county_id,
        county_code=county_code,
        trainer=0,
        occupation=str(kw["occupation"]),
        level=4,
        programme=1,
        mode=str(kw["mode"]),
        state=str(kw["state"]),
        start=kw["start"],  # type: ignore[arg-type]
        submitted_on=kw["submitted_on"],  # type: ignore[arg-type]
        trainees=len(names),
        names=names,
        certified=0,
        absent=False,
        survey=False,
    )


def _approve(c: TrainingClass, a: Actors, trainer: Trainer, county_id: int, day: dt.date) -> None:
    industry = a.industry[trainer.institution.department_id]  # type: ignore[index]
    hr = a.county_hr[county_id]
    for k, reviewer in enumerate((industry[0], industry[1], hr[0], hr[1])):
        _review(reviewer, c.pk, day + dt.timedelta(days=k + 1), "approve", "同意")


@transaction.atomic
def apprenticeship(
    a: Actors, trainer: Trainer, index: int, year: int, today: dt.date, rng: random.Random
) -> str:
    county = trainer.institution.county
    start = dt.date(year, 3, 1)
    submitted = start - dt.timedelta(days=20)
    draw = _draw(
        index,
        f"{year}-模拟学徒-{county.code}",
        county.pk,
        county.code,
        _names(rng, rng.randint(*APPRENTICES)),
        occupation=_catalogued(trainer, start)[0],
        mode=Mode.APPRENTICESHIP,
        state=Status.IN_TRAINING,
        start=start,
        submitted_on=submitted,
    )
    applicant = trainer.applicant
    months = int(params.current().value("apprenticeship.min_training_months", start))
    with clock.freeze(submitted - dt.timedelta(days=2)):
        people = _people(draw)
        c = services.class_create(
            actor=applicant,
            batch=draw.batch,
            start_date=start,
            end_date=add_months(start, months),
            occupation_code=draw.occupation,
            skill_level=draw.level,
            certificate_type="skill_level",
            planned_count=len(people),
            class_hours=APPRENTICE_HOURS,
            practical_hours=APPRENTICE_PRACTICAL,
            online_theory_hours=0,
            class_hour_minutes=HOUR_MINUTES,
            mode=Mode.APPRENTICESHIP,
            contact_name="人力资源部",
            contact_phone="0375-2700000",
            teacher_ids=trainer.teacher_ids,
            site_ids=trainer.site_ids,
        )
        services.roster_add(actor=applicant, class_id=c.pk, person_ids=[p.pk for p in people])
        # The apprentices' labour contracts: two years from the month before the class.
        for p in people:
            services.apprentice_contract_set(
                actor=applicant,
                class_id=c.pk,
                person_id=p.pk,
                contract_start=start - dt.timedelta(days=28),
                contract_end=add_months(start, 2 * months),
            )
    with clock.freeze(submitted):
        services.class_submit(actor=applicant, class_id=c.pk)
    _approve(c, a, trainer, county.pk, submitted)
    with clock.freeze(start):
        services.class_start(actor=applicant, class_id=c.pk)
    # A practical session a month, recorded in 45-minute hours, while the year runs.
    inspector = a.inspectors[index % 2]
    month = 0
    while (on := start + dt.timedelta(days=30 * month + 7)) <= today and month < 11:
        with clock.freeze(on):
            s = services.session_add(
                actor=applicant,
                class_id=c.pk,
                held_on=on,
                kind="practical",
                class_hours=4,
                minutes=4 * HOUR_MINUTES,
                recorded_minutes=4 * HOUR_MINUTES,
                longest_continuous=[HOUR_MINUTES] * 4,
            )
            services.attendance_record(
                actor=applicant, session_id=s.pk, present_person_ids=[p.pk for p in people]
            )
            if month == 1:
                services.inspection_record(
                    actor=inspector,
                    class_id=c.pk,
                    kind="during",
                    held_on=on,
                    place="企业实训车间",
                    present=len(people),
                    signed_in=len(people),
                    teachers_present=1,
                )
        month += 1
    return Status.IN_TRAINING


@transaction.atomic
def pure_online(
    a: Actors,
    trainer: Trainer,
    platform: Institution,
    index: int,
    year: int,
    applied_by: str,
    rng: random.Random,
) -> str:
    county = trainer.institution.county
    start = dt.date(year, 3, 14)
    submitted = start - dt.timedelta(days=20)
    occupation = _catalogued(trainer, start)[-1]
    if not Listed.objects.filter(occupation__code=occupation).exists():
        with clock.freeze(dt.date(year, 1, 10)):
            services.pure_online_allow(
                actor=a.office[0],
                occupation_code=occupation,
                valid_from=dt.date(year, 1, 1),
                reason=f"市人社局{year}年纯线上培训职业清单（§20(3)）",
            )
    draw = _draw(
        index,
        f"{year}-模拟线上-{county.code}",
        county.pk,
        county.code,
        _names(rng, rng.randint(*ONLINE_TRAINEES)),
        occupation=occupation,
        mode=Mode.ONLINE,
        state=Status.ASSESSMENT_REGISTERED,
        start=start,
        submitted_on=submitted,
    )
    applicant = trainer.applicant
    with clock.freeze(submitted - dt.timedelta(days=2)):
        people = _people(draw)
        c = services.class_create(
            actor=applicant,
            batch=draw.batch,
            start_date=start,
            end_date=start + dt.timedelta(days=39),
            occupation_code=occupation,
            skill_level=draw.level,
            certificate_type="skill_level",
            planned_count=len(people),
            class_hours=ONLINE_HOURS,
            practical_hours=0,
            online_theory_hours=0,
            class_hour_minutes=HOUR_MINUTES,
            mode=Mode.ONLINE,
            platform_id=platform.pk,
            contact_name="培训部",
            contact_phone="0375-2600000",
            teacher_ids=trainer.teacher_ids,
            site_ids=trainer.site_ids,
        )
        services.roster_add(actor=applicant, class_id=c.pk, person_ids=[p.pk for p in people])
    with clock.freeze(submitted):
        services.class_submit(actor=applicant, class_id=c.pk)
    _approve(c, a, trainer, county.pk, submitted)
    with clock.freeze(start):
        services.class_start(actor=applicant, class_id=c.pk)
    evaluator, _ = a.evaluators[county.pk]
    held = start + dt.timedelta(days=45)
    # §20(4): the enterprise (or the worker) applies for the assessment, not the institution
    with clock.freeze(held - dt.timedelta(days=10)):
        services.assessment_register(
            actor=applicant,
            class_id=c.pk,
            evaluator_id=evaluator.pk,
            held_on=held,
            applied_by=applied_by,
        )
    return Status.ASSESSMENT_REGISTERED


def run(
    a: Actors,
    *,
    year: int,
    seed: int,
    today: dt.date,
    per_mode: int,
    platform: Institution | None,
) -> dict[str, int]:
    """Up to ``per_mode`` classes of each mode, in the first counties that can run them."""
    rng = random.Random(f"{seed}-{year}-modes")
    done = set(
        TrainingClass.objects.filter(mode__in=[Mode.APPRENTICESHIP, Mode.ONLINE]).values_list(
            "batch", flat=True
        )
    )
    made: dict[str, int] = {Mode.APPRENTICESHIP: 0, Mode.ONLINE: 0}
    index = FIRST_INDEX
    for _, trainers in sorted(a.trainers.items()):
        index += 1
        centre = Institution.Kind.ENTERPRISE_CENTRE
        centres = [
            t
            for t in trainers
            if t.institution.kind == centre and _catalogued(t, dt.date(year, 3, 1))
        ]
        schools = [
            t
            for t in trainers
            if t.institution.kind != centre and _catalogued(t, dt.date(year, 3, 14))
        ]
        if centres and made[Mode.APPRENTICESHIP] < per_mode and dt.date(year, 3, 1) <= today:
            t = centres[0]
            if f"{year}-模拟学徒-{t.institution.county.code}" not in done:
                apprenticeship(a, t, index, year, today, rng)
            made[Mode.APPRENTICESHIP] += 1
        if schools and platform and made[Mode.ONLINE] < per_mode and dt.date(year, 5, 1) <= today:
            t = schools[0]
            if f"{year}-模拟线上-{t.institution.county.code}" not in done:
                who = ("enterprise", "individual")[made[Mode.ONLINE] % 2]
                pure_online(a, t, platform, index + 500, year, who, rng)
            made[Mode.ONLINE] += 1
    return made
