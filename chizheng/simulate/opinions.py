"""The year's signed boxes of 附件2 (``training.Opinion``), so that every simulated class —
drawn or of the other modes — prints whole: the county HR bureau's opinion on the
supervision the day after the check during training, an inspector's patrol on the
assessment day, and the bureau's opinion on the results the day after they were entered —
each through the service, with the clock at its day, none after the simulated "today". A box already signed is left alone, so a resumed
run adds nothing twice (and a later "today" only what has come due since).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from chizheng.accounts.models import Role, User
from chizheng.core import clock
from chizheng.training import services
from chizheng.training.models import Inspection, Opinion, Status, TrainingClass

from .actors import Actors
from .classes import STARTED

DAY = dt.timedelta(days=1)


def _sign(actor: User, training_class: TrainingClass, kind: str, text: str, on: dt.date) -> None:
    with clock.freeze(on):
        services.opinion_record(actor=actor, class_id=training_class.pk, kind=kind, text=text)


@transaction.atomic
def _class(
    training_class: TrainingClass, hr: tuple[User, User], inspector: User, today: dt.date
) -> int:
    done = {o.kind for o in training_class.opinions.all()}
    inspections = list(training_class.inspections.all())
    during = [i for i in inspections if i.kind == Inspection.Kind.DURING]
    signed = 0
    if Opinion.Kind.SUPERVISION not in done and during and during[-1].held_on + DAY <= today:
        everyone = all(i.present == i.signed_in == training_class.planned_count for i in during)
        _sign(
            hr[0],
            training_class,
            Opinion.Kind.SUPERVISION,
            "开班当日及培训期间检查情况正常，学员在位，培训资料留存完整。"
            if everyone
            else "培训期间检查发现个别学员缺勤，已督促按规定补课，同意继续培训。",
            during[-1].held_on + DAY,
        )
        signed += 1
    a_ = getattr(training_class, "assessment", None)
    if Opinion.Kind.PATROL not in done and a_ is not None and a_.held_on <= today:
        _sign(
            inspector,
            training_class,
            Opinion.Kind.PATROL,
            "考核现场秩序良好，考生身份核验无误。",
            a_.held_on,
        )
        signed += 1
    entered = a_.results_entered_on if a_ is not None else None
    if (
        Opinion.Kind.RESULTS not in done
        and training_class.status == Status.ASSESSED
        and entered
        and entered + DAY <= today
    ):
        counts = list(a_.counts.all()) if a_ is not None else []
        taking, certified = sum(c.taking for c in counts), sum(c.certified for c in counts)
        _sign(
            hr[1],
            training_class,
            Opinion.Kind.RESULTS,
            f"考核结果属实：参加考核{taking}人，取证{certified}人，同意。",
            entered + DAY,
        )
        signed += 1
    return signed


def run(a: Actors, *, year: int, today: dt.date) -> int:
    """Sign the boxes of the year's simulated classes (drawn, and of the other modes) once
    started, where not signed yet, by the class's county bureau; returns how many."""
    classes = (
        TrainingClass.objects.filter(batch__startswith=f"{year}-模拟", status__in=STARTED)
        .select_related("assessment", "institution")
        .prefetch_related("opinions", "inspections")
        .order_by("start_date", "id")
    )
    return sum(
        _class(k, a.county_hr[k.institution.county_id], a.inspectors[k.pk % 2], today)
        for k in classes
        if k.institution.county_id in a.county_hr
    )


def run_hand_made(*, today: dt.date) -> int:
    """The same for the demo's hand-made classes (``demo.training``; not drawn), signed by the
    first two HR users of each class's county and the city's first inspector."""
    classes = (
        TrainingClass.objects.filter(status__in=STARTED)
        .exclude(batch__contains="模拟")
        .select_related("assessment", "institution")
        .prefetch_related("opinions", "inspections")
        .order_by("start_date", "id")
    )
    inspector = User.objects.filter(role=Role.INSPECTOR, county__isnull=True).order_by("id").first()
    signed = 0
    for k in classes:
        hr = list(
            User.objects.filter(role=Role.COUNTY_HR, county_id=k.institution.county_id).order_by(
                "id"
            )[:2]
        )
        if hr and inspector is not None:
            signed += _class(k, (hr[0], hr[-1]), inspector, today)
    return signed
