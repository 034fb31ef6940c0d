"""Reads of the findings dashboard: the findings an actor sees counted (and their scores
summed) by kind, county, institution and month, set-based. Only the start dates of the
classes those findings name are read beside them (nothing of a class is shown but its month).

The month of a finding is the month its class started — of the latest-starting class it
concerns (for two overlapping classes, the later one: the class the finding belongs to); a
finding without a class has no month ("—"). The scan's own time is not used: a re-scan
stamps every finding again.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from chizheng.accounts.models import User
from chizheng.training.models import TrainingClass

from .models import Finding
from .selectors import finding_list

NO_MONTH = "—"
NO_INSTITUTION = "—（涉及多个机构）"


@dataclass(frozen=True)
class Line:
    """One row of a breakdown: what is counted, how many findings, their scores summed."""

    key: str  # the filter value (kind, county code, institution id, month)
    label: str
    findings: int
    score: Decimal


@dataclass
class Stats:
    total: int = 0
    score: Decimal = Decimal(0)
    by_kind: list[Line] = field(default_factory=list)
    by_county: list[Line] = field(default_factory=list)
    by_institution: list[Line] = field(default_factory=list)
    by_month: list[Line] = field(default_factory=list)
    # findings per month and kind, for the chart: {month: {kind: n}}
    month_kind: dict[str, dict[str, int]] = field(default_factory=dict)


def _lines(qs: QuerySet[Finding], key: str, label: str) -> list[Line]:
    fields = (key,) if key == label else (key, label)
    rows = qs.order_by().values(*fields).annotate(n=Count("id"), s=Sum("score"))
    return sorted(
        (
            Line(
                key="" if r[key] is None else str(r[key]),
                label=r[label] or NO_INSTITUTION,
                findings=r["n"],
                score=r["s"] or Decimal(0),
            )
            for r in rows
        ),
        key=lambda line: (-line.findings, -line.score, line.label),
    )


def _months(qs: QuerySet[Finding]) -> dict[int, str]:
    """Each finding's month (YYYY-MM) from the start of its latest-starting class: the
    findings' class lists in one query, the classes' starts in one more per 5,000 classes."""
    classes_of = {
        pk: [c for c in cs or () if isinstance(c, int)]
        for pk, cs in qs.values_list("id", "classes")
    }
    ids = sorted({c for cs in classes_of.values() for c in cs})
    start: dict[int, str] = {}
    for i in range(0, len(ids), 5000):
        for pk, day in TrainingClass.objects.filter(pk__in=ids[i : i + 5000]).values_list(
            "id", "start_date"
        ):
            start[pk] = f"{day:%Y-%m}"
    return {
        pk: max((start[c] for c in cs if c in start), default=NO_MONTH)
        for pk, cs in classes_of.items()
    }


def finding_stats(
    *, actor: User, year: int | None = None, kind: str = "", county: str = ""
) -> Stats:
    """The findings the actor sees (filtered as the findings list is) counted four ways."""
    qs = finding_list(actor=actor, year=year, kind=kind, county=county)
    totals = qs.order_by().aggregate(n=Count("id"), s=Sum("score"))
    stats = Stats(total=totals["n"] or 0, score=totals["s"] or Decimal(0))
    titles = dict(Finding.Kind.choices)
    stats.by_kind = [
        Line(line.key, str(titles.get(line.key, line.key)), line.findings, line.score)
        for line in _lines(qs, "kind", "kind")
    ]
    stats.by_county = _lines(qs, "county__code", "county__short_name")
    stats.by_institution = _lines(qs, "institution_id", "institution__name")
    month_of = _months(qs)
    count: Counter[str] = Counter()
    score: dict[str, Decimal] = defaultdict(Decimal)
    per_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for pk, k, s in qs.values_list("id", "kind", "score"):
        m = month_of.get(pk, NO_MONTH)
        count[m] += 1
        score[m] += s
        per_kind[m][k] += 1
    months = sorted(count, key=lambda m: (m == NO_MONTH, m))
    stats.by_month = [Line(m, m, count[m], score[m]) for m in months]
    stats.month_kind = {m: dict(per_kind[m]) for m in months}
    return stats


def chart(stats: Stats) -> dict[str, object]:
    """The chart's data: findings per month, one stacked series per kind."""
    months = [line.key for line in stats.by_month]
    return {
        "months": months,
        "series": [
            {
                "name": line.label,
                "data": [stats.month_kind.get(m, {}).get(line.key, 0) for m in months],
            }
            for line in stats.by_kind
        ],
    }
