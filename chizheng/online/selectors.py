"""Reads of the online area, each scoped by the actor through the access layer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

import pyarrow.parquet as pq
from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncDay, TruncMonth

from chizheng.accounts.access import access_by_id, require, visible
from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.registry import selectors as registry_selectors
from chizheng.registry.models import Institution, Sanction
from chizheng.training.models import TrainingClass

from . import config, results
from .models import OnlineCourse, OnlineLearner, PlatformCode, PlatformVoidDay
from .store import Batch

# Each rule's code and the column of PlatformVoidDay that holds its void seconds.
RULE_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (code, f"{code.lower()}_s") for code in results.RULE_CODES
)


def rule_headers(*, on: dt.date) -> list[tuple[str, str]]:
    """Each rule's code and Chinese name, with the numbers of the policy in force on ``on``
    (the dashboard's column heads: today's)."""
    labels = results.rule_labels(on)
    return [(code, labels[code]) for code in results.RULE_CODES]


def batches(*, platform: str) -> list[Batch]:
    """The records of the platform's uploads, oldest first: each stored batch, and uploads
    that stored nothing new (their duplicates and changed re-sent events)."""
    return config.store().batches(platform)


# --- credited hours on a class ---------------------------------------------------------


@dataclass(frozen=True)
class ClassOnline:
    courses: list[OnlineCourse]
    learners: list[OnlineLearner]
    planned_hours: int
    credited_total: int
    audited_at: dt.datetime | None


def class_online(*, actor: User, training_class: TrainingClass) -> ClassOnline | None:
    """The class's online courses and each trainee's credited online class hours (§20(3)),
    or None for a class without online theory."""
    courses = list(visible(actor, OnlineCourse.objects.filter(training_class=training_class)))
    if not courses and not training_class.platform_id and not training_class.online_theory_hours:
        return None
    learners = list(
        visible(actor, OnlineLearner.objects.filter(enrolment__training_class=training_class))
        .select_related("enrolment__person")
        .order_by("enrolment__person__name", "pk")
    )
    return ClassOnline(
        courses=courses,
        learners=learners,
        planned_hours=training_class.online_theory_hours,
        credited_total=sum(row.credited_hours for row in learners),
        audited_at=max((r.audited_at for r in learners if r.audited_at), default=None),
    )


def learners(*, actor: User) -> QuerySet[OnlineLearner]:
    """The online learners the actor may see, with their class and person."""
    return (
        visible(actor, OnlineLearner.objects.all())
        .select_related("enrolment__person", "enrolment__training_class__platform")
        .order_by("-enrolment__training_class__start_date", "enrolment__training_class_id", "pk")
    )


def learner_get(*, actor: User, learner_id: int) -> OnlineLearner:
    return access_by_id(
        actor,
        OnlineLearner.objects.select_related(
            "enrolment__person",
            "enrolment__training_class__platform",
            "enrolment__training_class__institution",
        ),
        learner_id,
    )


def learner_void_segments(
    *, actor: User, learner_id: int
) -> tuple[OnlineLearner, list[results.VoidSegment]]:
    """A learner's void segments on his class's courses, each rule with its clause."""
    row = learner_get(actor=actor, learner_id=learner_id)
    path = config.latest_result()
    if not path.exists():
        return row, []
    table = pq.read_table(path, filters=[("learner", "=", row.learner_key)])
    keys = set(
        OnlineCourse.objects.filter(training_class_id=row.enrolment.training_class_id).values_list(
            "course_key", flat=True
        )
    )
    if not table.num_rows:
        return row, []
    at = min(table["start"].to_pylist()).date()
    segments = [
        s for s in results.void_segments(table, learner=row.learner_key, at=at) if s.course in keys
    ]
    return row, segments


# --- the platforms' void shares --------------------------------------------------------

Period = Literal["day", "month"]


@dataclass
class ShareRow:
    platform: Institution
    period: dt.date
    valid_s: Decimal
    void_s: Decimal
    rule_s: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total_s(self) -> Decimal:
        return self.valid_s + self.void_s

    def share(self, seconds: Decimal) -> Decimal | None:
        return (seconds / self.total_s) if self.total_s else None

    @property
    def void_share(self) -> Decimal | None:
        return self.share(self.void_s)

    @property
    def rule_shares(self) -> list[tuple[str, Decimal | None]]:
        return [(c, self.share(self.rule_s[c])) for c, _ in RULE_COLUMNS]

    @property
    def valid_h(self) -> Decimal:
        return self.valid_s / 3600

    @property
    def void_h(self) -> Decimal:
        return self.void_s / 3600

    @property
    def void_pct(self) -> Decimal | None:
        return _pct(self.void_share)

    @property
    def rule_pcts(self) -> list[tuple[str, Decimal | None]]:
        return [(c, _pct(s)) for c, s in self.rule_shares]


def _pct(share: Decimal | None) -> Decimal | None:
    return None if share is None else share * 100


@dataclass(frozen=True)
class Shares:
    period: Period
    platforms: list[Institution]
    rows: list[ShareRow]  # per platform and period
    totals: list[ShareRow]  # per platform, over everything
    bans: dict[int, Sanction]  # platform id -> the §20(3) ban in force today


def platform_codes(*, actor: User) -> list[tuple[Institution, str]]:
    """The platforms the actor sees, each with its registered code ("" when none yet)."""
    platforms = visible(actor, Institution.objects.filter(kind=Institution.Kind.PLATFORM))
    codes = dict(
        visible(actor, PlatformCode.objects.filter(institution__in=platforms)).values_list(
            "institution_id", "code"
        )
    )
    return [(p, codes.get(p.pk, "")) for p in platforms.order_by("name")]


def platform_shares(*, actor: User, period: Period = "day") -> Shares:
    """Per platform the share of void time, overall and per rule, by day or month."""
    require(actor, "online.dashboard")
    platforms = list(
        visible(actor, Institution.objects.filter(kind=Institution.Kind.PLATFORM)).order_by("name")
    )
    by_id = {p.pk: p for p in platforms}
    sums = {
        "valid": Sum("valid_s"),
        "void": Sum("void_s"),
        **{code: Sum(f) for code, f in RULE_COLUMNS},
    }
    trunc = TruncMonth("day") if period == "month" else TruncDay("day")
    qs = visible(actor, PlatformVoidDay.objects.filter(platform_id__in=by_id))

    def row(d: Mapping[str, Any], when: dt.date) -> ShareRow:
        return ShareRow(
            platform=by_id[int(str(d["platform_id"]))],
            period=when,
            valid_s=Decimal(str(d["valid"] or 0)),
            void_s=Decimal(str(d["void"] or 0)),
            rule_s={c: Decimal(str(d[c] or 0)) for c, _ in RULE_COLUMNS},
        )

    rows = [
        row(d, _as_date(d["p"]))
        for d in qs.annotate(p=trunc)
        .values("platform_id", "p")
        .annotate(**sums)
        .order_by("platform_id", "p")
    ]
    first: dict[int, dt.date] = {}
    for r in rows:
        first.setdefault(r.platform.pk, r.period)
    totals = [
        row(d, first[int(str(d["platform_id"]))])
        for d in qs.values("platform_id").annotate(**sums).order_by("platform_id")
    ]
    rows.sort(key=lambda r: (r.platform.name, r.period))
    totals.sort(key=lambda r: r.platform.name)
    bans = {
        s.institution_id: s
        for s in registry_selectors.sanction_list(
            actor=actor, kind=Sanction.Kind.PLATFORM_BAN, active_on=clock.today()
        ).filter(institution_id__in=by_id)
    }
    return Shares(period=period, platforms=platforms, rows=rows, totals=totals, bans=bans)


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    assert isinstance(value, dt.date)
    return value
