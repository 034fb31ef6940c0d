"""The irregularities the supervision scan looks for that no single step refuses, planted as
they come about (``plants`` calls ``plant``), with the truth beside them:

- **a crossed submission** (§20(3), §20(1)): two institutions in different counties submit
  on the same day applications naming the same trainee, and the second books a teacher the
  first has booked (registered by its county bureau under the same ID number, part-time).
  Each application's §20(3) check ran before the other was committed, so neither saw the
  other — the one step not taken plainly through the services: the simulation reproduces
  that read by leaving the first class out of the second's roster history while it is
  checked (``_unseen``). Both classes then run at the same time. The submission refuses
  an overlap it can see (``trainee.overlap``); the claim asks again (§20(3) at calculation);
  the supervision scan finds the trainee and the teacher.
- **a certificate issued before the class ended** (§21, 附件2 结业考核): an institution
  registers its class's final assessment for three days before the class ends (or today,
  if sooner), and the evaluator holds it and certifies one trainee that day (a class of its
  own, outside the year's draws, so that no claim is drawn for it). The services take the dates as
  given (the assessment only has to be registered early enough); the scan finds it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from django.db import transaction
from django.utils import timezone

from chizheng.core import clock
from chizheng.core.errors import DomainError
from chizheng.registry.models import Institution, Person, Teacher
from chizheng.registry.services import teacher_add
from chizheng.rules import params
from chizheng.training import facts as training_facts
from chizheng.training import services
from chizheng.training.models import Mode, Status, TrainingClass

from . import classes as classes_
from .actors import Actors
from .models import Planted

CROSSED_INDEX = 90_000  # the crossed class's draw index: its trainees' IDs stay apart


def _subject(kind: str, pk: int, label: str) -> dict[str, object]:
    return {"kind": kind, "id": pk, "label": label}


@contextmanager
def _unseen(first: TrainingClass) -> Iterator[None]:
    """The roster history as a check running beside ``first``'s submission read it: without
    ``first`` (not yet committed when the two submissions crossed)."""
    history = training_facts._history

    def before_first(people: list[int], exclude_class: int) -> Any:
        found = history(people, exclude_class)
        return {p: [h for h in hs if h.class_ref != first.batch] for p, hs in found.items()}

    with mock.patch.object(training_facts, "_history", before_first):
        yield


def _draw(
    a: Actors,
    county_id: int,
    k: int,
    rng: random.Random,
    *,
    batch: str,
    index: int,
    start: dt.date,
    submitted_on: dt.date,
    state: str,
) -> classes_.ClassDraw | None:
    trainer = a.trainers[county_id][k]
    codes = [code for code, valid in trainer.catalog if valid <= start]
    if not codes:
        return None
    inst = trainer.institution
    return classes_.ClassDraw(
        index=index,
        batch=batch,
        county_id=county_id,
        county_code=inst.county.code,
        trainer=k,
        occupation=rng.choice(codes),
        level=4,
        programme=1,
        mode=Mode.ENTERPRISE_SELF
        if inst.kind == Institution.Kind.ENTERPRISE_CENTRE
        else Mode.COMMISSIONED,
        state=state,
        start=start,
        submitted_on=submitted_on,
        trainees=4,
        names=tuple(rng.choice(classes_.SURNAMES) + "明" for _ in range(4)),
        certified=1,
        absent=False,
        survey=False,
    )


def _sequence(first: TrainingClass) -> int:
    """The crossed class's number, from the first class's place in the draw (its county and
    its number there) — never its id, which differs between databases and runs."""
    return first.institution.county.order * 500 + int(first.batch.rsplit("-", 1)[1])


def _crossed(
    first: TrainingClass, a: Actors, rng: random.Random, today: dt.date, year: int
) -> list[Planted]:
    person = first.enrolments.select_related("person").order_by("id").first()
    teacher = first.teachers.order_by("id").first()
    if person is None or teacher is None or first.submitted_at is None:
        return []
    day = timezone.localtime(first.submitted_at).date()
    for county_id, trainers in sorted(a.trainers.items()):
        if county_id == first.institution.county_id:
            continue
        for k in range(len(trainers)):
            draw = _draw(
                a,
                county_id,
                k,
                rng,
                batch=f"{year}-模拟-{trainers[k].institution.county.code}-X{_sequence(first):05d}",
                index=CROSSED_INDEX + _sequence(first),
                start=first.start_date,
                submitted_on=day,
                state=Status.DRAFT,
            )
            if draw is None:
                continue
            try:
                with transaction.atomic():
                    second = _build(draw, a, first, person.person, teacher, today)
            except DomainError:
                continue  # this institution may not apply now (sanctioned, no catalog …)
            people = [
                _subject(
                    "person",
                    person.person_id,
                    f"{person.person.name}（{person.person.id_masked}）",
                ),
                _subject("class", first.pk, first.batch),
                _subject("class", second.pk, second.batch),
            ]
            return [
                Planted(
                    kind=Planted.Kind.PERSON_OVERLAP,
                    clause="§20(3)",
                    training_class=second,
                    subjects=people,
                    planted_on=day,
                    found_by="监督核查 person_overlap（两份申请同日交叉提交，各自核查时未见另一班）",
                ),
                Planted(
                    kind=Planted.Kind.TEACHER_DOUBLE_BOOKED,
                    clause="§20(1)",
                    training_class=second,
                    subjects=[_subject("teacher", teacher.pk, str(teacher)), *people[1:]],
                    planted_on=day,
                    found_by="监督核查 teacher_double_booked（同一身份证号码的教师同期在两个机构任教）",
                ),
            ]
    return []


def _build(
    draw: classes_.ClassDraw,
    a: Actors,
    first: TrainingClass,
    person: Person,
    teacher: Teacher,
    today: dt.date,
) -> TrainingClass:
    trainer = a.trainers[draw.county_id][draw.trainer]
    hr = a.county_hr[draw.county_id][0]
    with clock.freeze(draw.submitted_on - dt.timedelta(days=3)):
        lent = teacher_add(
            actor=hr,
            institution_id=trainer.institution.pk,
            name=teacher.name,
            id_number=teacher.id_number,
            full_time=False,
        )
    classes_.build(draw, a, today=today, platform_id=None)
    second = TrainingClass.objects.get(batch=draw.batch)
    with clock.freeze(draw.submitted_on):
        services.class_update(
            actor=trainer.applicant,
            class_id=second.pk,
            teacher_ids=[*trainer.teacher_ids, lent.pk],
        )
        services.roster_add(actor=trainer.applicant, class_id=second.pk, person_ids=[person.pk])
        with _unseen(first):
            services.class_submit(actor=trainer.applicant, class_id=second.pk)
    people = [e.person for e in second.enrolments.select_related("person").order_by("id")]
    classes_._review_and_deliver(
        second, dataclasses.replace(draw, state=Status.IN_TRAINING), a, trainer, people, today
    )
    return second


def _early_certificate(c: TrainingClass, a: Actors, today: dt.date) -> Planted | None:
    """The class's institution registers its final assessment for a day before the class
    ends, and the evaluator holds it and issues a certificate that day."""
    person = c.enrolments.select_related("person").order_by("id").first()
    held = min(today, c.end_date - dt.timedelta(days=3))
    ahead = params.current().value("assessment.min_days_registered_ahead", held) + 1
    registered = held - dt.timedelta(days=ahead)
    if person is None or registered < c.start_date:
        return None
    evaluator, evaluator_user = a.evaluators[c.institution.county_id]
    applicant = next(
        t.applicant
        for t in a.trainers[c.institution.county_id]
        if t.institution.pk == c.institution_id
    )
    with clock.freeze(registered):
        services.assessment_register(
            actor=applicant, class_id=c.pk, evaluator_id=evaluator.pk, held_on=held
        )
    with clock.freeze(held):
        services.results_record(
            actor=evaluator_user,
            class_id=c.pk,
            counts={c.certificate_type: (c.enrolments.count(), 1)},
            certificates=[
                services.CertificateIn(
                    person.person_id,
                    f"S{held:%Y}{c.pk:06d}E01",
                    c.certificate_type,
                    c.skill_level,
                    held,
                )
            ],
        )
    return Planted(
        kind=Planted.Kind.CERTIFICATE_BEFORE_END,
        clause="§21",
        training_class=c,
        subjects=[
            _subject(
                "person", person.person_id, f"{person.person.name}（{person.person.id_masked}）"
            )
        ],
        planted_on=held,
        found_by=f"监督核查 certificate_before_end（考核、发证 {held}，早于培训结束 {c.end_date}）",
    )


def _early(a: Actors, rng: random.Random, today: dt.date, year: int) -> Planted | None:
    """A class of its own (not among the year's draws, so no claim follows it), started two
    weeks before today, assessed and certified early."""
    start = today - dt.timedelta(days=14)
    for county_id, trainers in sorted(a.trainers.items(), reverse=True):
        for k in range(len(trainers)):
            draw = _draw(
                a,
                county_id,
                k,
                rng,
                batch=f"{year}-模拟-{trainers[k].institution.county.code}-E{k + 1:04d}",
                index=CROSSED_INDEX - 1 - k,
                start=start,
                submitted_on=start - dt.timedelta(days=20),
                state=Status.IN_TRAINING,
            )
            if draw is None:
                continue
            try:
                with transaction.atomic():
                    classes_.build(draw, a, today=today, platform_id=None)
                    c = TrainingClass.objects.select_related("institution").get(batch=draw.batch)
                    p = _early_certificate(c, a, today)
                    if p is None:
                        raise DomainError("too late to assess early")
            except DomainError:
                continue
            return p
    return None


def plant(
    a: Actors,
    *,
    year: int,
    rng: random.Random,
    today: dt.date,
    training: list[TrainingClass],
) -> list[Planted]:
    """The crossed pair beside the first of ``training`` that allows one, and the early
    assessment and certificate in a class of its own."""
    out: list[Planted] = []
    for first in training[2:] + training[:2]:  # the first two hold the other plants
        if first.mode in (Mode.ONLINE, Mode.APPRENTICESHIP):
            continue
        out = _crossed(first, a, rng, today, year)
        if out:
            break
    early = _early(a, rng, today, year)
    return out + ([early] if early else [])
