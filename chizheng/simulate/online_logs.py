"""The online classes' learning logs (§20(3), flow 1 of issue 13), through the real path: the
platform's code registered by the city office, each class's course bound and its trainees
keyed (``online.services.bind_course``), the platform's upload of each class's events checked
and stored (``online.services.ingest_bytes``, as the API does), then the audit of everything
stored and its result brought into the system (``audit_to_file`` and ``apply_results``, the
nightly ``online.audit`` job's two steps). The audit's valid time becomes each trainee's
credited online hours, which the attendance rate (§21) and the claim read.

Every trainee studies the class's online hours lesson by lesson, one 45-minute lesson
(``online.class_hour_s``) per session, within the class's period and before "today": a face
check before, a heartbeat every 30 s at normal speed, an answered popup every 4 minutes, a
photo and ``done`` at the end — all valid. Planted, with the truth beside them (the rule the
audit must flag):

- **FF** (快进播放): a trainee plays some lessons at double speed;
- **MW** (多窗口学习): a trainee plays two lessons at once on two devices (both void).

In each pure-online class two trainees lose ``VOIDED`` lessons that way (one each rule): below
the attendance rate (§21), their claim lines are paid 0 with the reason; in the first
blended classes one trainee loses a few (still above the rate, shown on the class page).
Then the pure-online classes go on where the dates allow: results recorded a day after the
assessment (every trainee certified), and a claim taken along the chain up to its approval
(``claims.claim_class``; the funds are budgeted after, by ``claims.run``).

Idempotent: a class whose course is bound is skipped; event ids are the class's own, so a
re-sent batch stores nothing new — ids, sessions and course keys derive from the class's
batch, so a year rebuilt from its seed on a new database sends the same events again (and a
store that outlived its database does not double a learner's lessons into multi-window
ones). The platform's day of upload is never after "today".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.parquet as pq

from chizheng.core import clock
from chizheng.online import config
from chizheng.online import services as online
from chizheng.online.models import OnlineCourse, OnlineLearner, PlatformCode
from chizheng.online.platforms import platform_code_register
from chizheng.online.schema import EVENT_SCHEMA
from chizheng.registry.models import Institution
from chizheng.rules import params
from chizheng.training import services as training
from chizheng.training.models import Enrolment, Mode, Status, TrainingClass

from . import claims
from .actors import Actors
from .classes import DURATION, ClassDraw
from .scale import Scale

CODE = "PDS-ONLINE"  # the platform's code when the office has not registered one
# A class's event ids: EVENT_BASE + its number × PER_CLASS + n, its number a hash of its batch
# below CLASSES (no two of a year's classes meet: 5,000 in 8·10¹²), so the same year rebuilt
# from its seed sends the same events (stored once) — and far above the demo's own ids.
EVENT_BASE, PER_CLASS, CLASSES = 10**18, 10**6, 8 * 10**12
HB_S, POPUP_S, FACE_BEFORE_S, PHOTO_AT_S, DONE_AFTER_S = 30, 240, 30, 600, 5
FAST = 2.0  # the planted fast-forward speed
EVENING_UTC = dt.time(11, 0, tzinfo=dt.UTC)  # 19:00 in Pingdingshan: after work
VOIDED = 16  # lessons a planted trainee of a pure-online class loses
VOIDED_BLENDED = 4  # … of a blended class (of its 12 online hours)
BLENDED_PLANTS = 3  # the first blended classes with a planted trainee
STARTED = (Status.IN_TRAINING, Status.ASSESSMENT_REGISTERED, Status.ASSESSED)


@dataclass(frozen=True)
class Plant:
    """A trainee whose lessons ``lessons`` break ``rule`` (FF or MW): the truth beside the log."""

    rule: str
    lessons: frozenset[int]


@dataclass
class Log:
    """The events of one upload, column by column (the event schema's)."""

    columns: dict[str, list[object]] = dataclasses.field(
        default_factory=lambda: {name: [] for name in EVENT_SCHEMA.names}
    )

    def add(
        self,
        ids: Iterator[int],
        base: dict[str, object],
        kind: str,
        times: list[dt.datetime],
        **values: list[object] | object,
    ) -> None:
        """Events of one kind at ``times``, the same ``base`` columns; a list in ``values``
        gives each event its own value."""
        n = len(times)
        cols = self.columns
        cols["event_id"].extend(next(ids) for _ in range(n))
        cols["ts"].extend(times)
        cols["kind"].extend([kind] * n)
        for name in ("platform", "learner", "session", "course", "lesson"):
            cols[name].extend([base[name]] * n)
        for name in ("pos", "rate", "ok"):
            v = values.get(name)
            cols[name].extend(v if isinstance(v, list) else [v] * n)

    def table(self) -> pa.Table:
        return pa.table(self.columns, schema=EVENT_SCHEMA)


def class_number(batch: str) -> int:
    """A class's number in its events (ids, sessions): from its batch, not its row id, so a
    rebuilt year's events are the first build's."""
    return int.from_bytes(hashlib.blake2b(batch.encode(), digest_size=8).digest(), "big") % CLASSES


def course_key(batch: str) -> str:
    """The platform's course of a simulated class: named by its batch, as its number is."""
    return f"SIM-{class_number(batch)}"


def _code(a: Actors, platform: Institution, year: int) -> str:
    row = PlatformCode.objects.filter(institution=platform).first()
    if row is not None:
        return row.code
    with clock.freeze(dt.date(year, 1, 10)):
        return platform_code_register(actor=a.office[0], institution=platform, code=CODE).code


def _slots(first: dt.date, last: dt.date, lessons: int) -> list[dt.datetime]:
    """When each lesson begins: spread over the days from ``first`` to ``last``, in the
    evening, the lessons of one evening 50 minutes apart."""
    days = max(1, (last - first).days + 1)
    out: list[dt.datetime] = []
    that_evening: dict[int, int] = {}
    for k in range(lessons):
        d = k * days // lessons
        n = that_evening.get(d, 0)
        that_evening[d] = n + 1
        start = dt.datetime.combine(first + dt.timedelta(days=d), EVENING_UTC)
        out.append(start + dt.timedelta(minutes=50 * n))
    return out


def _lesson(
    log: Log,
    ids: Iterator[int],
    base: dict[str, object],
    t0: dt.datetime,
    *,
    hour: int,
    rate: float = 1.0,
) -> None:
    """One lesson in one session: face, heartbeats, popups, a photo, ``done``."""
    s = dt.timedelta(seconds=1)
    log.add(ids, base, "face", [t0 - FACE_BEFORE_S * s], ok=True)
    beats = range(hour // HB_S + 1)
    log.add(
        ids,
        base,
        "hb",
        [t0 + i * HB_S * s for i in beats],
        pos=[float(i * HB_S) * rate for i in beats],
        rate=rate,
    )
    log.add(
        ids, base, "popup", [t0 + i * POPUP_S * s for i in range(1, hour // POPUP_S + 1)], ok=True
    )
    log.add(ids, base, "photo", [t0 + PHOTO_AT_S * s])
    log.add(ids, base, "done", [t0 + (hour + DONE_AFTER_S) * s])


def class_log(
    c: TrainingClass,
    course: str,
    keys: list[str],
    plants: dict[str, Plant],
    *,
    today: dt.date,
    code: str,
) -> Log:
    """The class's events: each trainee's lessons of its online hours in its period up to
    the day before "today" (an unfinished class: the share of its days gone by)."""
    planned = c.class_hours if c.mode == Mode.ONLINE else c.online_theory_hours
    last = min(c.end_date, today - dt.timedelta(days=1))
    span = (c.end_date - c.start_date).days + 1
    lessons = min(planned, planned * ((last - c.start_date).days + 1) // span)
    hour = int(params.current().value("online.class_hour_s", c.start_date))
    log = Log()
    first = EVENT_BASE + class_number(c.batch) * PER_CLASS
    ids = iter(range(first, first + PER_CLASS))
    slots = _slots(c.start_date, last, lessons)
    for n, key in enumerate(keys):
        plant = plants.get(key)
        for k, t0 in enumerate(slots, 1):
            base = {"platform": code, "learner": key, "course": course, "lesson": k}
            session = f"S{class_number(c.batch)}-{n}-{k}"
            if plant is not None and k in plant.lessons and plant.rule == "MW":
                if k % 2 == 0:
                    continue  # played on the second device beside lesson k - 1 (below)
                _lesson(log, ids, base | {"session": session}, t0, hour=hour)
                if k + 1 <= lessons:  # lesson k + 1 at the same time in another window
                    second = base | {"session": f"{session}-b", "lesson": k + 1}
                    _lesson(log, ids, second, t0 + dt.timedelta(seconds=60), hour=hour)
                continue
            fast = plant is not None and plant.rule == "FF" and k in plant.lessons
            rate = FAST if fast else 1.0
            _lesson(log, ids, base | {"session": session}, t0, hour=hour, rate=rate)
    return log


RESENT_BASE = PER_CLASS - 10_000  # a re-sent batch's ids: the top of the class's range,
RESENT_SLOT = 250  # … in slots of this many, one a trainee (two lessons' ≈ 210 events)


def second_windows(c: TrainingClass, key: str, *, pairs: int, today: dt.date, code: str) -> Log:
    """A batch the platform re-sends for one trainee of ``c``: lessons 2, 4 … played in a
    second window beside lessons 1, 3 … (``pairs`` of them) — events its first upload
    missed, which void both windows' time (MW)."""
    course = course_key(c.batch)
    planned = c.class_hours if c.mode == Mode.ONLINE else c.online_theory_hours
    last = min(c.end_date, today - dt.timedelta(days=1))
    span = (c.end_date - c.start_date).days + 1
    lessons = min(planned, planned * ((last - c.start_date).days + 1) // span)
    hour = int(params.current().value("online.class_hour_s", c.start_date))
    slots = _slots(c.start_date, last, lessons)
    # each trainee's re-sent events their own ids (a slot of the class's top range by his key)
    slot = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=4).digest(), "big") % 39
    first = EVENT_BASE + class_number(c.batch) * PER_CLASS + RESENT_BASE + slot * RESENT_SLOT
    ids = iter(range(first, first + RESENT_SLOT))
    log = Log()
    for k in range(1, 2 * pairs, 2):
        if k + 1 > lessons:
            break
        base = {"platform": code, "learner": key, "course": course, "lesson": k + 1}
        session = f"S{class_number(c.batch)}-R{key}-{k}"
        _lesson(
            log,
            ids,
            base | {"session": session},
            slots[k - 1] + dt.timedelta(seconds=60),
            hour=hour,
        )
    return log


def resend(c: TrainingClass, log: Log, *, today: dt.date) -> int:
    """The platform's re-sent batch stored, the store audited again and the result applied
    (the nightly job's two steps); returns the events stored."""
    code = str(log.columns["platform"][0])
    platform = PlatformCode.objects.select_related("institution").get(code=code).institution
    stored = _upload(c, log, code=code, platform=platform, today=today)
    with clock.freeze(today):
        online.audit_to_file(sources=[], out=config.latest_result())
        online.apply_results(actor=None)
    return stored


def _plants(c: TrainingClass, keys: list[str], blended_planted: int) -> dict[str, Plant]:
    """Pure-online: the last two trainees, FF and MW, ``VOIDED`` lessons each; the first
    blended classes: the last trainee, FF on ``VOIDED_BLENDED`` lessons."""
    if c.mode == Mode.ONLINE and len(keys) >= 3:
        ff = frozenset(range(2, 2 + VOIDED))
        mw = frozenset(range(3, 3 + VOIDED))  # pairs (3, 4), (5, 6) …
        return {keys[-2]: Plant("FF", ff), keys[-1]: Plant("MW", mw)}
    if c.mode == Mode.BLENDED and blended_planted < BLENDED_PLANTS and len(keys) >= 2:
        return {keys[-1]: Plant("FF", frozenset(range(2, 2 + VOIDED_BLENDED)))}
    return {}


def _upload(c: TrainingClass, log: Log, *, code: str, platform: Institution, today: dt.date) -> int:
    """The platform uploads the class's events as it would through the API (all rows or none)."""
    if not log.columns["event_id"]:
        return 0
    buf = io.BytesIO()
    pq.write_table(log.table(), buf)
    with clock.freeze(min(c.end_date + dt.timedelta(days=1), today)):
        done = online.ingest_bytes(
            data=buf.getvalue(), name=f"{c.batch}.parquet", platform=code, institution=platform
        )
    return done.stored


def run(
    a: Actors, scale: Scale, *, year: int, today: dt.date, platform: Institution | None
) -> dict[str, int]:
    """The logs of the year's started pure-online classes on ``platform`` and of its first
    ``scale.online_log_classes`` blended ones (None: all), the audit, then the pure-online
    classes' results and claims. Returns counts."""
    blended = scale.online_log_classes
    out = {"classes": 0, "events": 0, "planted": 0}
    if platform is None:
        return out
    classes = list(
        TrainingClass.objects.filter(
            batch__startswith=f"{year}-模拟",
            mode__in=[Mode.BLENDED, Mode.ONLINE],
            platform=platform,
            status__in=STARTED,
            start_date__lt=today,
        ).order_by("start_date", "pk")
    )
    code = _code(a, platform, year)
    bound = set(OnlineCourse.objects.values_list("training_class_id", flat=True))
    done = [c for c in classes if c.mode == Mode.BLENDED and c.pk in bound]
    left = None if blended is None else max(0, blended - len(done))
    planted = min(len(done), BLENDED_PLANTS)  # planted in the first ones, on an earlier run
    for c in classes:
        if c.pk in bound:
            continue
        if c.mode == Mode.BLENDED:
            if left == 0:
                continue
            left = None if left is None else left - 1
        course = course_key(c.batch)
        with clock.freeze(c.start_date):
            online.bind_course(actor=a.office[0], class_id=c.pk, course_key=course)
        keys = list(
            OnlineLearner.objects.filter(enrolment__training_class=c)
            .order_by("enrolment_id")
            .values_list("learner_key", flat=True)
        )
        plants = _plants(c, keys, planted)
        planted += c.mode == Mode.BLENDED and bool(plants)
        out["planted"] += len(plants)
        log = class_log(c, course, keys, plants, today=today, code=code)
        out["events"] += _upload(c, log, code=code, platform=platform, today=today)
        out["classes"] += 1
    if out["classes"] or not config.latest_result().exists():  # new learners to credit
        with clock.freeze(today):
            online.audit_to_file(sources=[], out=config.latest_result())
            online.apply_results(actor=None)
    for c in classes:
        if c.mode == Mode.ONLINE:
            _assess_and_claim(c, a, today=today)
    return out


def _assess_and_claim(c: TrainingClass, a: Actors, *, today: dt.date) -> None:
    """A pure-online class past its assessment: every trainee certified a day after it, then
    its claim as far as the days allow (its planted trainees' lines paid 0, §21)."""
    c.refresh_from_db()
    held = c.assessment.held_on
    if c.status != Status.ASSESSMENT_REGISTERED or held + dt.timedelta(days=1) > today:
        return
    evaluator_user = a.evaluators[c.institution.county_id][1]
    people = list(
        Enrolment.objects.filter(training_class=c)
        .order_by("id")
        .values_list("person_id", flat=True)
    )
    with clock.freeze(held + dt.timedelta(days=1)):
        training.results_record(
            actor=evaluator_user,
            class_id=c.pk,
            counts={"skill_level": (len(people), len(people))},
            certificates=[
                training.CertificateIn(
                    pid, f"S{held:%Y}{c.pk:06d}{k:03d}", "skill_level", c.skill_level, held
                )
                for k, pid in enumerate(people)
            ],
        )
    c.refresh_from_db()
    county = c.institution.county_id
    trainer = next(
        i for i, t in enumerate(a.trainers[county]) if t.institution.pk == c.institution_id
    )
    draw = ClassDraw(
        index=0,
        batch=c.batch,
        county_id=county,
        county_code=c.institution.county.code,
        trainer=trainer,
        occupation=c.occupation_code,
        level=c.skill_level or 0,
        programme=1,
        mode=c.mode,
        state=Status.ASSESSED,
        start=held - dt.timedelta(days=DURATION + 2),  # ``ClassDraw.held`` is then ``held``
        submitted_on=c.start_date,
        trainees=len(people),
        names=(),
        certified=len(people),
        absent=False,
        survey=False,
    )
    assert draw.held == held
    # up to its approval: the year's funds are budgeted by ``claims.run``, which comes after
    claims.claim_class(c, draw, a, "approved", objection=False, today=today)
