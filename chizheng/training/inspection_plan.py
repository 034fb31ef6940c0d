"""The inspection plan (检查计划): the classes an inspector should visit today, sampled by risk.

A class needs an on-site check when it opens (the opening-day check: §21 counts the class at
its opening by those actually there) and, while in training, unless it is effectively
supervised by recordings or remote video (§21: then no spot check). The spot checks are
sampled by the risk of the class's institution (``supervision.risk_bands``: a share and a
minimum per band, drawn in an order fixed for the day — ``rules.risk.sample``); each item says
its institution's risk and why it was chosen or left out. Read through
``training.selectors``, scoped by the actor (classes and findings both).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from chizheng.accounts.access import visible
from chizheng.accounts.models import User
from chizheng.rules import params
from chizheng.rules import risk as risk_rules
from chizheng.supervision.risk import institution_scores

from .models import Status, TrainingClass


@dataclass(frozen=True)
class PlanItem:
    training_class: TrainingClass
    reason: str  # why an on-site check is needed
    risk: Decimal = Decimal(0)  # the institution's risk score
    band: str = ""  # its band's label
    chosen: bool = (
        True  # drawn for today (opening-day checks always, unless the policy samples them)
    )
    why: str = ""  # the band, the share and the draw


def effectively_supervised(training_class: TrainingClass, min_continuous: int) -> bool:
    """§21: supervised by remote video, or every session so far has complete recordings
    (theory in full, practical with the minimum continuous minutes in each class hour, all
    trainees visible)."""
    if training_class.remote_video:
        return True
    sessions = [s for s in training_class.sessions.all() if s.kind != "online"]
    if not sessions:
        return False
    for s in sessions:
        if not s.shows_all_trainees:
            return False
        if s.kind == "theory" and s.recorded_minutes < s.minutes:
            return False
        if s.kind == "practical" and (
            len(s.longest_continuous) < s.class_hours or min(s.longest_continuous) < min_continuous
        ):
            return False
    return True


def _needing_a_visit(
    actor: User, on: dt.date, horizon_days: int, min_continuous: int
) -> list[tuple[TrainingClass, str, bool]]:
    """Classes that need an on-site check: in training, or approved and opening within
    ``horizon_days`` (the opening-day check), and not effectively supervised by recordings or
    remote video (§21). Classes that already had their opening check are listed only while
    they are in training. Each with its reason and whether it is the opening-day check."""
    qs = (
        visible(actor, TrainingClass.objects.select_related("institution__county"))
        .defer("decisions")  # a JSON document per class the plan never reads (most of its time)
        .filter(
            Q(status=Status.IN_TRAINING)
            | Q(status=Status.APPROVED, start_date__lte=on + dt.timedelta(days=horizon_days))
        )
        .prefetch_related("sessions", "inspections")
        .order_by("start_date", "id")
    )
    out = []
    for k in qs:
        if effectively_supervised(k, min_continuous):
            continue
        has_opening = any(i.kind == "opening" for i in k.inspections.all())
        if k.status == Status.APPROVED:
            out.append((k, "开班当日检查", True))
        elif not has_opening:
            out.append((k, "未做开班当日检查", True))
        else:
            out.append((k, "录像不完整，需实地抽查", False))
    return out


def inspection_plan(*, actor: User, on: dt.date, horizon_days: int = 7) -> list[PlanItem]:
    """The classes needing a visit, the day's draw first (highest risk first), then those the
    draw left out (``chosen`` False)."""
    at = params.current().at(on)
    needing = _needing_a_visit(
        actor, on, horizon_days, at["evidence.min_practical_continuous_recording_minutes"]
    )
    scores = institution_scores(actor=actor, on=on)
    by_id = {k.pk: (k, reason) for k, reason, _ in needing}
    picks = risk_rules.sample(
        [
            risk_rules.Candidate(
                id=k.pk, risk=scores.get(k.institution_id, Decimal("0.00")), opening=opening
            )
            for k, _, opening in needing
        ],
        at,
        day=on.isoformat(),
    )
    return [
        PlanItem(
            training_class=by_id[p.id][0],
            reason=by_id[p.id][1],
            risk=p.risk,
            band=p.band.label,
            chosen=p.chosen,
            why=p.why,
        )
        for p in picks
    ]
