"""Irregularities planted once the year's claims are made, for the supervision scan's checks
that read sign-in sheets, registry records, class applications and payments, with the truth
beside them (``Planted``):

- **identical absences** (§21): three trainees of a class in training miss the same two
  sessions (recorded through the services: the sessions and their sign-in) — a block signed
  out together;
- **a whole class present beyond likelihood** (§21): a class in training records daily
  sessions, every trainee signed in at each, until a record that perfect is less likely than
  the policy's bound at the expected absence rate;
- **one person under two ID forms** (§20(3)): a trainee's record from the old system, under
  the 15-digit form of his number, sits in the registry beside his own (a legacy load: the
  services refuse a 15-digit number today, so the row is written as such a load left it);
- **one bank account behind three applicants** (§三(三)): the class applications of three
  institutions name one account (the applications' stored account field written directly,
  as a back-office correction would);
- **an evaluator certifying outside its filed scope** (§20(4)): the county bureau records
  an evaluation institution's filing for an occupation as the levels it was filed for — all
  but the level it certified a class of the year at (``registry.evaluation_scope_set``); the
  scan compares the certificates with the scope as filed now;
- **a site's workstations overbooked** (§20(1)): the county bureau's on-site check finds a
  site has no workstations for the occupation a class of the year trains at it, and records
  so (``registry.workstation_set`` to 0);
- **one photo for two classes** (§三(三)): the institutions keep a sign-in still of each
  session of some of the year's classes (``STILL_CLASSES``; each its own picture), and one
  institution's still of a session is another's, re-encoded, for one of its own sessions.

Each in a class chosen by the seed among the year's drawn classes not planted already — the
sign-in plants among any simulated class in training, the perfect record's class kept apart
from the absences; a re-run plants nothing twice. The last four kinds (a class certified
with no recognised session, an evaluator over its daily capacity, a claim counting online
time the audit voided, a paid line whose voucher was not redeemed) are planted in records
already certified or paid: ``record_plants``.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
from collections.abc import Callable

from django.db import transaction
from PIL import Image

from chizheng.assessment.models import Certificate
from chizheng.core import clock, ids
from chizheng.registry import services as registry
from chizheng.registry.models import Person
from chizheng.registry.selectors import id_index
from chizheng.rules import params
from chizheng.training import services
from chizheng.training.models import (
    Attendance,
    Enrolment,
    FinalAssessment,
    Mode,
    Session,
    Status,
    TrainingClass,
)

from . import record_plants
from .actors import Actors
from .classes import HOUR_MINUTES, ClassDraw
from .models import Planted
from .plants import _applicant, _subject

SESSIONS_A_DAY_AT_MOST = 4  # a long day's sign-in sheets: morning, noon, afternoon, evening
STILL_CLASSES = 8  # classes whose sessions keep a sign-in still (the clean part compared)


def _picture(seed: str, quality: int = 90) -> bytes:
    """A photo-like picture drawn from the seed: blocks of colour, JPEG-encoded."""
    rng = random.Random(seed)
    image = Image.new("RGB", (256, 256))
    for x in range(8):
        for y in range(8):
            colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            image.paste(colour, (x * 32, y * 32, (x + 1) * 32, (y + 1) * 32))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def _photos(pool: list[TrainingClass], a: Actors, today: dt.date) -> Planted | None:
    """A sign-in still for every session of the first ``STILL_CLASSES`` classes with
    sessions, each its own picture; then the first class's first picture, re-encoded, kept
    by a class of another institution for its last session."""
    with_sessions = [c for c in pool if Session.objects.filter(training_class=c).exists()]
    chosen = with_sessions[:STILL_CLASSES]
    if len(chosen) < 2:
        return None
    first = chosen[0]
    other = next((c for c in chosen[1:] if c.institution_id != first.institution_id), None)
    if other is None:
        return None
    for c in chosen:
        for k, s in enumerate(Session.objects.filter(training_class=c).order_by("held_on", "id")):
            with clock.freeze(min(today, s.held_on)):
                services.still_store(
                    actor=_applicant(a, c),
                    kind="sign_in",
                    data=_picture(f"{c.batch}-{k}"),
                    session_id=s.pk,
                )
    shown = Session.objects.filter(training_class=first).order_by("held_on", "id").first()
    reused = Session.objects.filter(training_class=other).order_by("-held_on", "-id").first()
    assert shown is not None and reused is not None
    seed = f"{first.batch}-0"
    with clock.freeze(min(today, reused.held_on)):
        still = services.still_store(
            actor=_applicant(a, other),
            kind="sign_in",
            data=_picture(seed, quality=55),
            session_id=reused.pk,
        )
    return Planted(
        kind=Planted.Kind.SAME_PHOTO,
        clause="§三(三)",
        training_class=other,
        subjects=[
            _subject("class", first.pk, first.batch),
            _subject("class", other.pk, other.batch),
            _subject("still", still.pk, f"{reused.held_on} 签到照片"),
        ],
        planted_on=reused.held_on,
        found_by="监督核查 same_photo（另一机构的签到照片重新压缩后用于本班课次）",
    )


def _session(c: TrainingClass, a: Actors, on: dt.date, absent: set[int]) -> Session:
    people = list(Enrolment.objects.filter(training_class=c).values_list("person_id", flat=True))
    with clock.freeze(on):
        s = services.session_add(
            actor=_applicant(a, c),
            class_id=c.pk,
            held_on=on,
            kind="theory",
            class_hours=1,
            minutes=HOUR_MINUTES,
            recorded_minutes=HOUR_MINUTES,
        )
        services.attendance_record(
            actor=_applicant(a, c),
            session_id=s.pk,
            present_person_ids=[p for p in people if p not in absent],
        )
    return s


def _after_last(c: TrainingClass, today: dt.date) -> dt.date:
    last = Session.objects.filter(training_class=c).order_by("-held_on").first()
    return min(today, (last.held_on if last else c.start_date) + dt.timedelta(days=1))


def _identical_absences(c: TrainingClass, a: Actors, today: dt.date) -> Planted | None:
    need = int(params.current().value("supervision.identical_absence_min_people", today))
    times = int(params.current().value("supervision.identical_absence_min_sessions", today))
    people = list(
        Enrolment.objects.filter(training_class=c).select_related("person").order_by("id")[:need]
    )
    if len(people) < need:
        return None
    on = _after_last(c, today)
    absent = {e.person_id for e in people}
    for _ in range(times):
        _session(c, a, on, absent)
    return Planted(
        kind=Planted.Kind.IDENTICAL_ABSENCES,
        clause="§21",
        training_class=c,
        subjects=[
            _subject("person", e.person_id, f"{e.person.name}（{e.person.id_masked}）")
            for e in people
        ],
        planted_on=on,
        found_by=f"监督核查 identical_absences（{need} 名学员同缺 {times} 次课）",
    )


def _all_present(c: TrainingClass, a: Actors, today: dt.date) -> Planted | None:
    at = params.current().at(today)
    rate = float(at["supervision.expected_absence_rate"])
    bound = float(at["supervision.all_present_max_likelihood"])
    people = Enrolment.objects.filter(training_class=c).count()
    signed = Attendance.objects.filter(session__training_class=c).count()
    if not people:
        return None
    # attendances (人次) from which a perfect record is less likely than the bound
    needed = math.floor(math.log(bound) / math.log(1 - rate)) + 1
    sessions = max(0, math.ceil((needed - signed) / people))
    days = max(1, (today - c.start_date).days + 1)
    if sessions > days * SESSIONS_A_DAY_AT_MOST:
        return None
    for k in range(sessions):
        _session(c, a, c.start_date + dt.timedelta(days=k % days), set())
    return Planted(
        kind=Planted.Kind.ALL_PRESENT,
        clause="§21",
        training_class=c,
        subjects=[_subject("class", c.pk, c.batch)],
        planted_on=min(today, c.start_date + dt.timedelta(days=days - 1)),
        found_by=f"监督核查 all_present（{people} 名学员每次课全部签到，另登记 {sessions} 次课）",
    )


def _id_forms(c: TrainingClass, today: dt.date) -> Planted | None:
    e = Enrolment.objects.filter(training_class=c).select_related("person").order_by("id").first()
    if e is None:
        return None
    p = e.person
    number = ids.normalise(p.id_number)
    old = number[:6] + number[8:17]  # the 15-digit form: two-digit year, no check character
    twin = Person.objects.create(
        name=p.name,
        id_number=old,
        id_index=id_index(old),
        id_masked=ids.mask(old),
        birth_date=p.birth_date,
        county_id=p.county_id,
    )
    return Planted(
        kind=Planted.Kind.SEVERAL_ID_FORMS,
        clause="§20(3)",
        training_class=c,
        subjects=[
            _subject("person", p.pk, f"{p.name}（{p.id_masked}）"),
            _subject("person", twin.pk, f"{twin.name}（{twin.id_masked}）"),
        ],
        planted_on=today,
        found_by="监督核查 several_id_forms（旧系统 15 位号码的记录与本人 18 位号码的记录并存）",
    )


def _bank_account(found: list[TrainingClass], today: dt.date) -> Planted | None:
    chosen: dict[int, TrainingClass] = {}
    for c in found:
        if c.bank_account and c.institution_id not in chosen:
            chosen[c.institution_id] = c
    need = int(params.current().value("supervision.shared_bank_account_min_applicants", today))
    if len(chosen) < need:
        return None
    first, *others = list(chosen.values())[:need]
    TrainingClass.objects.filter(pk__in=[c.pk for c in others]).update(
        bank_account=first.bank_account, bank_name=first.bank_name
    )
    return Planted(
        kind=Planted.Kind.SHARED_BANK_ACCOUNT,
        clause="§三(三)",
        training_class=others[0],
        subjects=[_subject("class", c.pk, c.batch) for c in (first, *others)],
        planted_on=today,
        found_by="监督核查 shared_bank_account（三个机构的开班申请填报同一银行帐号）",
    )


def _out_of_scope(c: TrainingClass, a: Actors, today: dt.date) -> Planted | None:
    assessment = (
        FinalAssessment.objects.filter(training_class=c).select_related("evaluator").first()
    )
    if assessment is None or c.skill_level is None:
        return None
    evaluator = assessment.evaluator
    if not Certificate.objects.filter(
        training_class=c, issuing_institution=evaluator, skill_level=c.skill_level
    ).exists():
        return None
    hr = a.county_hr[evaluator.county_id][0]
    levels = [x for x in (5, 4, 3, 2, 1) if x != c.skill_level]
    with clock.freeze(today):
        registry.evaluation_scope_set(
            actor=hr, institution_id=evaluator.pk, occupation_code=c.occupation_code, levels=levels
        )
    return Planted(
        kind=Planted.Kind.EVALUATOR_OUT_OF_SCOPE,
        clause="§20(4)",
        training_class=c,
        subjects=[
            _subject("institution", evaluator.pk, evaluator.name),
            _subject("class", c.pk, c.batch),
        ],
        planted_on=today,
        found_by=f"监督核查 evaluator_out_of_scope（备案等级不含 {c.skill_level} 级）",
    )


def _overbooked(c: TrainingClass, a: Actors, today: dt.date) -> Planted | None:
    site = c.sites.select_related("institution").order_by("id").first()
    if site is None or not Enrolment.objects.filter(training_class=c).exists():
        return None
    hr = a.county_hr[site.institution.county_id][0]
    with clock.freeze(today):
        registry.workstation_set(
            actor=hr, site_id=site.pk, occupation_code=c.occupation_code, count=0
        )
    return Planted(
        kind=Planted.Kind.WORKSTATIONS_OVERBOOKED,
        clause="§20(1)",
        training_class=c,
        subjects=[_subject("site", site.pk, site.name), _subject("class", c.pk, c.batch)],
        planted_on=today,
        found_by="监督核查 workstations_overbooked（实地核查该场地无此职业工位）",
    )


@transaction.atomic
def run(a: Actors, *, year: int, seed: int, today: dt.date, draws: list[ClassDraw]) -> int:
    """Plant each kind not yet planted this year among the classes of ``draws``; returns how
    many were new."""
    batches = [d.batch for d in draws]
    have = set(Planted.objects.filter(year=year).values_list("kind", flat=True))
    taken = set(Planted.objects.filter(year=year).values_list("training_class_id", flat=True))
    rng = random.Random(f"{seed}-{year}-scan-plants")

    def classes(*states: str) -> list[TrainingClass]:
        found = list(
            TrainingClass.objects.filter(batch__in=batches, status__in=states)
            .exclude(pk__in=taken)
            .select_related("institution")
            .order_by("batch")
        )
        rng.shuffle(found)
        return found

    simulated = TrainingClass.objects.filter(batch__startswith=f"{year}-模拟")
    with_absence = set(
        Attendance.objects.filter(session__training_class__in=simulated, present=False).values_list(
            "session__training_class_id", flat=True
        )
    )
    training = classes(Status.IN_TRAINING)
    # a simulated class (of any mode) whose record is perfect so far, the longest running
    # first (the sign-in plant's inspection and the recording plant's session leave the
    # sign-in sheets perfect)
    perfect = sorted(
        (c for c in simulated.filter(status=Status.IN_TRAINING) if c.pk not in with_absence),
        key=lambda c: (c.start_date, c.batch),
    )
    planted: list[Planted] = []

    def plant(kind: str, make: Callable[[], Planted | None]) -> None:
        if kind in have:
            return
        p = make()
        if p is not None:
            taken.add(p.training_class_id)
            planted.append(p)

    def first(
        pool: list[TrainingClass],
        make: Callable[[TrainingClass], Planted | None],
        *,
        shared: bool = False,
    ) -> Callable[[], Planted | None]:
        def go() -> Planted | None:
            for c in pool:
                if shared or c.pk not in taken:
                    p = make(c)
                    if p is not None:
                        return p
            return None

        return go

    plant(
        Planted.Kind.ALL_PRESENT, first(perfect, lambda c: _all_present(c, a, today), shared=True)
    )
    # any other simulated class in training (absences leave the other plants' findings as
    # they are; the perfect record's class is kept perfect)
    kept_perfect = {p.training_class_id for p in planted if p.kind == Planted.Kind.ALL_PRESENT}
    kept_perfect |= set(
        Planted.objects.filter(year=year, kind=Planted.Kind.ALL_PRESENT).values_list(
            "training_class_id", flat=True
        )
    )
    absences = training + [c for c in perfect if c not in training and c.pk not in kept_perfect]
    plant(
        Planted.Kind.IDENTICAL_ABSENCES,
        first(
            [c for c in absences if c.pk not in kept_perfect],
            lambda c: _identical_absences(c, a, today),
            shared=True,
        ),
    )
    assessed = classes(Status.ASSESSED)
    plant(Planted.Kind.SEVERAL_ID_FORMS, first(assessed, lambda c: _id_forms(c, today)))
    plant(Planted.Kind.SHARED_BANK_ACCOUNT, lambda: _bank_account(assessed, today))
    plant(
        Planted.Kind.EVALUATOR_OUT_OF_SCOPE, first(assessed, lambda c: _out_of_scope(c, a, today))
    )
    plant(Planted.Kind.WORKSTATIONS_OVERBOOKED, first(assessed, lambda c: _overbooked(c, a, today)))
    plant(Planted.Kind.SAME_PHOTO, lambda: _photos(assessed + training, a, today))
    # in records already certified or paid (``record_plants``), among every simulated
    # assessed class (the pure-online ones too); a class planted already only where the
    # plant leaves its evidence as it is
    later = list(simulated.filter(status=Status.ASSESSED).exclude(pk__in=taken).order_by("batch"))
    random.Random(f"{seed}-{year}-record-plants").shuffle(later)
    claimed = record_plants.claimed_first(later)
    kinds: dict[int, set[str]] = {}
    for class_id, kind in [
        *Planted.objects.filter(year=year).values_list("training_class_id", "kind"),
        *((p.training_class_id, p.kind) for p in planted),
    ]:
        kinds.setdefault(class_id, set()).add(kind)
    planted_before = list(
        simulated.filter(status=Status.ASSESSED, pk__in=list(kinds)).order_by("batch")
    )
    besides = [c for c in planted_before if kinds[c.pk] <= record_plants.SESSIONS_UNUSED]
    # a voucher and an online record are no other kind's evidence
    plant(
        Planted.Kind.VOUCHER_NOT_REDEEMED,
        first(
            claimed + planted_before,
            lambda c: record_plants.voucher_reversed(c, today),
            shared=True,
        ),
    )
    plant(
        Planted.Kind.VOIDED_ONLINE_CLAIMED,
        first(
            [c for c in claimed + planted_before if c.mode in (Mode.BLENDED, Mode.ONLINE)],
            lambda c: record_plants.voided_online(c, today),
            shared=True,
        ),
    )
    plant(
        Planted.Kind.EVALUATOR_OVER_CAPACITY,
        first(
            later + [c for c in besides if Planted.Kind.EVALUATOR_OUT_OF_SCOPE not in kinds[c.pk]],
            lambda c: record_plants.over_capacity(c, today),
            shared=True,
        ),
    )
    plant(
        Planted.Kind.CERTIFICATES_WITHOUT_SESSION,
        first(
            claimed[::-1] + besides,  # the classes no claim stands on first
            lambda c: record_plants.without_session(c, today),
            shared=True,
        ),
    )
    for p in planted:
        p.year = year
    Planted.objects.bulk_create(planted)
    return len(planted)
