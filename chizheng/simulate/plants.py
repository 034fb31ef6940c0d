"""Irregularities planted in the simulated year at known places, with the truth beside them
(``Planted``), done the way they happen — through the same services an institution or an
inspector uses, dated on or before "today":

- **sign-in above those present** (§21, 附件2 过程监管): at an inspection during training the
  sign-in sheet shows two more than the inspector counts in the room — the rule
  ``attendance.sign_in_matches`` flags it on the class page and in the claim's evidence;
- **a practical session recorded too short** (§19 实操每学时连续录像不低于15分钟): the
  session's recording breaks into pieces below the minimum — it is not recognised, for the
  class, the trainees or the claim;
- **one mobile number behind several trainees** (§三(三) 虚假培训): the county bureau's
  registry shows three trainees of one class on the same phone — the supervision scan's
  ``shared_phone`` finds it (compared on the phone's blind index).

The crossed submission and the early certificate are planted beside these (``crossed``).

Each is planted in one class, chosen by the seed among the year's drawn classes (in training
for the first two, assessed for the third); a re-run plants nothing twice.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.registry import services as registry
from chizheng.rules import params
from chizheng.training import services
from chizheng.training.models import Enrolment, Session, Status, TrainingClass

from . import crossed
from .actors import Actors
from .classes import HOUR_MINUTES
from .models import Planted

SHARED_PHONE = "13903750000"  # a mobile number no simulated person otherwise has
SHARED_BY = 3


def _subject(kind: str, pk: int, label: str) -> dict[str, object]:
    return {"kind": kind, "id": pk, "label": label}


def _sign_in(c: TrainingClass, a: Actors, on: dt.date) -> Planted:
    n = Enrolment.objects.filter(training_class=c).count()
    present = max(1, n - 2)
    with clock.freeze(on):
        inspection = services.inspection_record(
            actor=a.inspectors[0],
            class_id=c.pk,
            kind="during",
            held_on=on,
            place="实训楼二层",
            present=present,
            signed_in=present + 2,
            teachers_present=1,
        )
    return Planted(
        kind=Planted.Kind.SIGN_IN_EXCEEDS_PRESENT,
        clause="§21",
        training_class=c,
        subjects=[_subject("inspection", inspection.pk, f"{on} 签到 {present + 2} 在位 {present}")],
        planted_on=on,
        found_by="规则 attendance.sign_in_matches（班级页、补贴申领的证据）",
    )


def _applicant(a: Actors, c: TrainingClass) -> User:
    return next(
        t.applicant
        for trainers in a.trainers.values()
        for t in trainers
        if t.institution.pk == c.institution_id
    )


def _short_recording(c: TrainingClass, a: Actors, on: dt.date) -> Planted:
    minimum = int(params.current().value("evidence.min_practical_continuous_recording_minutes", on))
    hours = 2
    people = list(Enrolment.objects.filter(training_class=c).values_list("person_id", flat=True))
    with clock.freeze(on):
        session = services.session_add(
            actor=_applicant(a, c),
            class_id=c.pk,
            held_on=on,
            kind="practical",
            class_hours=hours,
            minutes=hours * HOUR_MINUTES,
            recorded_minutes=hours * HOUR_MINUTES,
            # each class hour's longest unbroken recording falls short of the minimum
            longest_continuous=[minimum - 3] * hours,
        )
        services.attendance_record(
            actor=_applicant(a, c),
            session_id=session.pk,
            present_person_ids=people,
        )
    return Planted(
        kind=Planted.Kind.RECORDING_TOO_SHORT,
        clause="§19",
        training_class=c,
        subjects=[_subject("session", session.pk, f"{on} 实操 {hours} 课时")],
        planted_on=on,
        found_by="规则 evidence.practical_recording（该次培训不予认可，不计学时和到课率）",
    )


def _shared_phone(c: TrainingClass, a: Actors, on: dt.date) -> Planted:
    hr = a.county_hr[c.institution.county_id][0]
    people = list(
        Enrolment.objects.filter(training_class=c)
        .select_related("person")
        .order_by("id")[:SHARED_BY]
    )
    with clock.freeze(on):
        for e in people:
            registry.person_update(actor=hr, person_id=e.person_id, phone=SHARED_PHONE)
    return Planted(
        kind=Planted.Kind.SHARED_PHONE,
        clause="§三(三)",
        training_class=c,
        subjects=[
            _subject("person", e.person_id, f"{e.person.name}（{e.person.id_masked}）")
            for e in people
        ],
        planted_on=on,
        found_by="监督核查 shared_phone（同一手机号码对应多名参训人员）",
    )


@transaction.atomic
def run(a: Actors, *, year: int, seed: int, today: dt.date, batches: list[str]) -> int:
    """Plant each kind once among ``batches`` (the inspection and the recording in classes in
    training, the phone in an assessed class); returns how many were new."""
    if Planted.objects.filter(year=year).exists():
        return 0

    def classes(*states: str) -> list[TrainingClass]:
        found = list(
            TrainingClass.objects.filter(batch__in=batches, status__in=states)
            .select_related("institution")
            .order_by("batch")
        )
        rng.shuffle(found)
        return found

    rng = random.Random(f"{seed}-{year}-plants")
    # inspections and sessions happen while a class is in training; the registry any time
    training = classes(Status.IN_TRAINING)
    assessed = classes(Status.ASSESSED)
    planted: list[Planted] = []
    for kind, c in zip(
        (Planted.Kind.SIGN_IN_EXCEEDS_PRESENT, Planted.Kind.RECORDING_TOO_SHORT),
        training,
        strict=False,
    ):
        last = Session.objects.filter(training_class=c).order_by("-held_on").first()
        on = min(today, (last.held_on if last else c.start_date) + dt.timedelta(days=1))
        p = _sign_in(c, a, on) if kind == Planted.Kind.SIGN_IN_EXCEEDS_PRESENT else None
        planted.append(p or _short_recording(c, a, on))
    if assessed:
        c = assessed[0]
        planted.append(_shared_phone(c, a, min(today, c.end_date)))
    planted += crossed.plant(a, year=year, rng=rng, today=today, training=training)
    for p in planted:
        p.year = year
    Planted.objects.bulk_create(planted)
    return len(planted)
