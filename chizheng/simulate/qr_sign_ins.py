"""Classroom sign-in by QR code in the simulated year (issue 16): on "today", in the first
``CLASSES`` simulated classes in training (by batch), the institution adds the day's session
and shows its code; every trainee but the last scans it within seconds, with a selfie, and is
signed in (``training.services.qr_sign_in``; the trainees' accounts as the survey's, without
a password). The last trainee does not come: no class's record turns perfect. The classes
planted with a pattern of sign-ins (a perfect record, identical absences) are left as planted. Idempotent: a class with a session today is
skipped."""

from __future__ import annotations

import datetime as dt
import io
import random

from django.utils import timezone
from PIL import Image

from chizheng.accounts.models import Role
from chizheng.core import clock
from chizheng.training import services
from chizheng.training.models import Enrolment, Session, Status, TrainingClass

from .actors import Actors, user
from .classes import HOUR_MINUTES
from .models import Planted
from .plants import _applicant

CLASSES = 3
# planted kinds whose finding is the class's pattern of sign-ins: their classes are left alone
PATTERNS = (Planted.Kind.ALL_PRESENT, Planted.Kind.IDENTICAL_ABSENCES)
HOURS = 2  # the morning's theory session
SHOWN_AT = dt.time(9, 0, 5)  # local time the code is drawn; each scan a few seconds later


def selfie(seed: str) -> bytes:
    """A phone's selfie stand-in: a picture of its own (blocks of colour from the seed)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (240, 320))
    for x in range(6):
        for y in range(8):
            colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            image.paste(colour, (x * 40, y * 40, (x + 1) * 40, (y + 1) * 40))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def run(a: Actors, *, year: int, today: dt.date) -> int:
    """Sign the trainees of the chosen classes in; returns how many signed in this run."""
    classes = [
        c
        for c in TrainingClass.objects.filter(
            batch__startswith=f"{year}-模拟", status=Status.IN_TRAINING, start_date__lte=today
        )
        .exclude(
            pk__in=Planted.objects.filter(year=year, kind__in=PATTERNS).values("training_class_id")
        )
        .order_by("batch")[: CLASSES * 2]
        if c.end_date >= today
    ][:CLASSES]
    signed = 0
    shown = timezone.make_aware(dt.datetime.combine(today, SHOWN_AT))
    for c in classes:
        if Session.objects.filter(training_class=c, held_on=today).exists():
            continue
        institution = _applicant(a, c)
        with clock.freeze(shown):
            session = services.session_add(
                actor=institution,
                class_id=c.pk,
                held_on=today,
                kind="theory",
                class_hours=HOURS,
                minutes=HOURS * HOUR_MINUTES,
                recorded_minutes=HOURS * HOUR_MINUTES,
            )
        people = list(
            Enrolment.objects.filter(training_class=c).select_related("person").order_by("id")
        )
        for k, e in enumerate(people[:-1]):
            trainee = user(
                f"xy{e.person_id}", e.person.name, Role.WORKER, usable=False, person=e.person
            )
            with clock.freeze(shown + dt.timedelta(seconds=5 + 2 * k)):
                # the code on the screen then: it renews every attendance.qr_renew_seconds, and a
                # class of fifty takes longer to sign in than one code is valid
                _, code, _ = services.sign_in_code(actor=institution, session_id=session.pk)
                services.qr_sign_in(
                    actor=trainee, code=code, selfie=selfie(f"{c.batch}-{e.person_id}")
                )
            signed += 1
    return signed


__all__ = ["CLASSES", "run", "selfie"]
