"""Progress of the plan, computed from the records — never typed in — and scoped by the actor.

Each indicator has one selector (``SELECTORS``) returning its counts by county × month for a
year, up to a date. The certificate-based selectors share ``Facts.certificates``: the derived
monthly tally for whole months plus one live aggregate over the days of an unfinished month.
Definitions are written down in docs/plan.md.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth

from chizheng.accounts.access import visible
from chizheng.accounts.models import ScopeKind, User
from chizheng.assessment.models import Certificate
from chizheng.competitions import selectors as competitions
from chizheng.core import clock
from chizheng.core.errors import NotFound, PermissionDenied
from chizheng.org.models import County
from chizheng.registry.models import Institution
from chizheng.rules import params
from chizheng.training.models import AssessmentCount, Enrolment, Mode, TrainingClass

from .models import Allocation, CertificateTally, CountyTarget, Indicator, Plan, Programme
from .tally import CERTIFICATE_COUNTERS, Counts, certificate_counts, month_bounds, tally_read


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def require_plan_reader(actor: User) -> None:
    """The dashboard and reports are for the city (office, leaders, finance) and the counties."""
    if not actor.is_authenticated or actor.scope_kind not in (ScopeKind.CITY, ScopeKind.COUNTY):
        raise PermissionDenied(
            "目标任务进度仅向市、县（市、区）用户开放",
            message_en="plan progress is for city and county users",
        )


class Facts:
    """The records one request reads, loaded once and shared by the indicator selectors."""

    def __init__(self, *, actor: User, year: int, until: dt.date) -> None:
        self.actor = actor
        self.year = year
        self.until = min(until, year_bounds(year)[1])

    @cached_property
    def certificates(self) -> dict[str, Counts]:
        """The certificate counters by (county, month) up to ``until``, in the actor's scope.

        Whole months come from the tally (kept in step with the certificates); the month of
        ``until``, if it is not over, from the live aggregate of its days.
        """
        year, until = self.year, self.until
        if until < dt.date(year, 1, 1):
            return {k: {} for k in CERTIFICATE_COUNTERS}
        _, month_end = month_bounds(year, until.month)
        whole = until.month if until == month_end else until.month - 1
        out = tally_read(
            visible(self.actor, CertificateTally.objects.filter(year=year, month__lte=whole))
        )
        if whole < until.month:
            live = certificate_counts(
                visible(self.actor, Certificate.objects.all()).filter(
                    issued_on__gte=dt.date(year, until.month, 1), issued_on__lte=until
                )
            )
            for counter, counts in live.items():
                out.setdefault(counter, {}).update(counts)
        return out

    @cached_property
    def competitions(self) -> dict[str, Counts]:
        """The three §11 indicators by (county, month), in the actor's scope."""
        return competitions.progress(actor=self.actor, year=self.year, until=self.until)


@dataclass(frozen=True)
class Tally:
    """What one selector returns: counts by county × month, and for a share its denominator."""

    counts: Counts
    denominator: Counts | None = None
    available: bool = True  # False: the records this indicator is computed from do not exist yet
    todo: str = ""


def _cert(counter: str) -> Callable[[Facts], Tally]:
    def select(facts: Facts) -> Tally:
        return Tally(facts.certificates[counter])

    select.__name__ = f"certificates_{counter}"
    return select


def _competition(counter: str) -> Callable[[Facts], Tally]:
    def select(facts: Facts) -> Tally:
        return Tally(facts.competitions[counter])

    select.__name__ = f"competition_{counter}"
    return select


def _not_yet(todo: str) -> Callable[[Facts], Tally]:
    def select(facts: Facts) -> Tally:
        return Tally({}, available=False, todo=todo)

    return select


def special_pass_share(facts: Facts) -> Tally:
    return Tally(facts.certificates["special_pass"], denominator=facts.certificates["all"])


def _month_counts(qs: QuerySet[Any], *, county: str, day: str, value: Any = None) -> Counts:
    """Count (or sum ``value``) by (county, month of ``day``) in ONE aggregate query."""
    rows = (
        qs.annotate(month=ExtractMonth(day))
        .values(county, "month")
        .annotate(n=value if value is not None else Count("pk"))
        .order_by()
    )
    return {(r[county], r["month"]): int(r["n"] or 0) for r in rows if r["n"]}


# A class is counted in the month it opened. Every class in the system is a subsidised
# class (附件2), so training person-times count the subsidised classes too: training without
# a subsidy has no record here.
STARTED = ("in_training", "assessment_registered", "assessed")


def _classes(facts: Facts) -> QuerySet[TrainingClass]:
    start, _ = year_bounds(facts.year)
    return visible(facts.actor, TrainingClass.objects.all()).filter(
        status__in=STARTED, start_date__gte=start, start_date__lte=facts.until
    )


def trained(facts: Facts) -> Tally:
    """Each opened class counts its trained figure (§21, set by the inspections through
    ``rules.evidence_rules.trained_count``), or its roster where no inspection was made.
    Summed in the database by county × month of the start (two grouped queries, a few
    rows each, not a row per class)."""
    month = ExtractMonth("start_date")
    classes = _classes(facts).order_by()
    inspected = (
        classes.filter(trained__isnull=False)
        .values("institution__county_id", m=month)
        .annotate(n=Sum("trained"))
    )
    rostered = (
        classes.filter(trained__isnull=True)
        .values("institution__county_id", m=month)
        .annotate(n=Count("enrolments"))
    )
    counts: Counts = {}
    for rows in (inspected, rostered):
        for r in rows:
            key = (r["institution__county_id"], int(r["m"]))
            counts[key] = counts.get(key, 0) + (r["n"] or 0)
    return Tally(counts)


def _filed(kind: str | None, *, new_in_year: bool) -> Callable[[Facts], Tally]:
    """Evaluation institutions filed (备案) by county × month of filing."""

    def select(facts: Facts) -> Tally:
        qs = visible(facts.actor, Institution.objects.all()).filter(
            filing_status=Institution.FilingStatus.FILED, filed_on__lte=facts.until
        )
        qs = qs.filter(evaluator_kind=kind) if kind else qs.exclude(evaluator_kind="")
        if new_in_year:
            qs = qs.filter(filed_on__gte=year_bounds(facts.year)[0])
            return Tally(_month_counts(qs, county="county_id", day="filed_on"))
        # A standing count (≈20 social evaluators): every filed one, as of ``until``, shown
        # in the month it was filed this year or in January if filed earlier.
        counts: Counts = {}
        for r in qs.values("county_id", "filed_on"):
            filed = r["filed_on"]
            assert filed is not None  # filtered on filed_on above
            month = filed.month if filed.year == facts.year else 1
            counts[(r["county_id"], month)] = counts.get((r["county_id"], month), 0) + 1
        return Tally(counts)

    select.__name__ = f"filed_{kind or 'all'}"
    return select


def apprentices(facts: Facts) -> Tally:
    start, _ = year_bounds(facts.year)
    qs = visible(facts.actor, Enrolment.objects.all()).filter(
        training_class__mode=Mode.APPRENTICESHIP,
        training_class__status__in=STARTED,
        training_class__start_date__gte=start,
        training_class__start_date__lte=facts.until,
    )
    return Tally(
        _month_counts(
            qs, county="training_class__institution__county_id", day="training_class__start_date"
        )
    )


# One selector per indicator code of the plan file. Those returning ``available=False`` wait
# for their records (see docs/plan.md, "Not yet computed"): they read 0 until then.
SELECTORS: dict[str, Callable[[Facts], Tally]] = {
    "training": trained,
    "subsidised_training": trained,
    "new_skilled": _cert("new_skilled"),
    "new_high_skilled": _cert("new_high_skilled"),
    "filed_evaluators": _filed(None, new_in_year=True),
    "filed_evaluators_employer": _filed("employer", new_in_year=True),
    "filed_evaluators_school": _filed("school", new_in_year=True),
    "filed_evaluators_social": _filed("social", new_in_year=True),
    "certs_enterprise": _cert("enterprise"),
    "certs_enterprise_high": _cert("enterprise_high"),
    "certs_school": _cert("school"),
    "certs_school_high": _cert("school_high"),
    "certs_social": _cert("social"),
    "certs_social_high": _cert("social_high"),
    "apprentices": apprentices,
    "competition_occupations": _competition("occupations"),
    "competition_events": _competition("events"),
    "competition_certified": _competition("certified"),
    "social_evaluators": _filed("social", new_in_year=False),
    "special_pass_share": special_pass_share,
}


def calendar_share(*, year: int, until: dt.date) -> Decimal:
    """The share of the year elapsed at the end of ``until`` (the time schedule, 时间进度)."""
    start, end = year_bounds(year)
    if until < start:
        return Decimal(0)
    if until >= end:
        return Decimal(1)
    days = 366 if calendar.isleap(year) else 365
    return Decimal((until - start).days + 1) / Decimal(days)


@dataclass
class Cell:
    target: Decimal | None
    actual: Decimal  # in the indicator's unit (万人, 家, 比例 …)
    count: int  # records counted (for a share: the numerator)
    share_done: Decimal | None
    flag: str  # "" | "lagging" | "over_cap" | "todo"


@dataclass
class IndicatorProgress:
    indicator: Indicator
    city: Cell  # the actor's whole scope (the city, or the county for a county user)
    counties: dict[int, Cell]
    months: dict[int, int]  # month -> records counted in the actor's scope
    county_months: dict[int, dict[int, int]]  # county id -> month -> records
    available: bool
    todo: str


@dataclass
class Progress:
    plan: Plan
    until: dt.date
    expected: Decimal
    margin: Decimal
    counties: list[County]
    is_city: bool
    indicators: list[IndicatorProgress] = field(default_factory=list)

    def by_code(self, code: str) -> IndicatorProgress:
        for ip in self.indicators:
            if ip.indicator.code == code:
                return ip
        raise KeyError(code)

    @property
    def allocated(self) -> list[IndicatorProgress]:
        return [ip for ip in self.indicators if ip.indicator.allocated]


def plan_for_year(*, actor: User, year: int | None = None) -> Plan:
    """The actor's city's plan for the year (default: the latest plan not after this year)."""
    require_plan_reader(actor)
    city_id = actor.city_id or (actor.county.city_id if actor.county_id and actor.county else None)
    if city_id is None:
        raise NotFound("没有年度工作方案", message_en="no plan", detail={"year": year})
    qs = visible(actor, Plan.objects.filter(city_id=city_id))
    plan = qs.filter(year=year).first() if year else qs.filter(year__lte=clock.today().year).first()
    if plan is None:
        raise NotFound(
            f"没有{year or ''}年度工作方案",
            message_en="no plan for that year",
            detail={"year": year},
        )
    return plan


def _ratio(num: Decimal, den: Decimal | None) -> Decimal | None:
    if den is None or den == 0:
        return None
    return num / den


def _cell(
    *,
    ind: Indicator,
    target: Decimal | None,
    tally: Tally,
    keys: set[tuple[int, int]] | None,
    expected: Decimal,
    margin: Decimal,
) -> Cell:
    def total(counts: Counts) -> int:
        return sum(v for k, v in counts.items() if keys is None or k in keys)

    count = total(tally.counts)
    if not tally.available:
        return Cell(target, Decimal(0), 0, None, "todo")
    if ind.measure == Indicator.Measure.SHARE:
        den = total(tally.denominator or {})
        actual = _ratio(Decimal(count), Decimal(den)) or Decimal(0)
        flag = "over_cap" if target is not None and den and actual > target else ""
        return Cell(target, actual, count, None, flag)
    actual = Decimal(count) / Decimal(ind.unit_size)
    share = _ratio(actual, target) if target else None
    flag = "lagging" if share is not None and share < expected - margin else ""
    return Cell(target, actual, count, share, flag)


def plan_progress(
    *, actor: User, plan: Plan, until: dt.date | None = None, first_only: bool = False
) -> Progress:
    """Target, actual, share done and the calendar share, per indicator and per county;
    ``first_only``: the plan's first indicator alone (a home page's headline figure)."""
    require_plan_reader(actor)
    start, end = year_bounds(plan.year)
    until = min(until or clock.today(), end)
    policy = params.current()
    margin = policy.value("plan.lagging_margin", max(until, start))
    counties = list(visible(actor, County.objects.filter(city=plan.city)).order_by("order"))
    county_ids = {c.pk for c in counties}
    targets: dict[tuple[int, int], Decimal] = {
        (t.indicator_id, t.county_id): t.target
        for t in visible(actor, CountyTarget.objects.filter(indicator__plan=plan))
    }
    facts = Facts(actor=actor, year=plan.year, until=until)
    expected = calendar_share(year=plan.year, until=until)
    is_city = actor.scope_kind == ScopeKind.CITY
    progress = Progress(
        plan=plan, until=until, expected=expected, margin=margin, counties=counties, is_city=is_city
    )
    indicators = plan.indicators.all().order_by("order")
    for ind in indicators[:1] if first_only else indicators:
        tally = SELECTORS[ind.code](facts)
        months: dict[int, int] = defaultdict(int)
        county_months: dict[int, dict[int, int]] = {c: defaultdict(int) for c in county_ids}
        for (county_id, month), n in tally.counts.items():
            if county_id in county_ids:
                months[month] += n
                county_months[county_id][month] += n
        if is_city:
            scope_target: Decimal | None = ind.target
        elif ind.allocated:
            scope_target = sum(
                (targets.get((ind.pk, c), Decimal(0)) for c in county_ids), Decimal(0)
            )
        elif ind.measure == Indicator.Measure.SHARE:
            scope_target = ind.target  # a cap applies in every county alike
        else:
            scope_target = None
        cells = {}
        for c in counties:
            keys = {k for k in tally.counts if k[0] == c.pk} | {
                k for k in (tally.denominator or {}) if k[0] == c.pk
            }
            if ind.allocated:
                target = targets.get((ind.pk, c.pk))
            elif ind.measure == Indicator.Measure.SHARE:
                target = ind.target
            else:
                target = None
            cells[c.pk] = _cell(
                ind=ind, target=target, tally=tally, keys=keys, expected=expected, margin=margin
            )
        scope_keys = {k for k in (*tally.counts, *(tally.denominator or {})) if k[0] in county_ids}
        progress.indicators.append(
            IndicatorProgress(
                indicator=ind,
                city=_cell(
                    ind=ind,
                    target=scope_target,
                    tally=tally,
                    keys=scope_keys,
                    expected=expected,
                    margin=margin,
                ),
                counties=cells,
                months=dict(months),
                county_months={k: dict(v) for k, v in county_months.items()},
                available=tally.available,
                todo=tally.todo,
            )
        )
    return progress


def attachment1(
    *, actor: User, plan: Plan
) -> tuple[list[Indicator], list[tuple[int, str, list[Decimal]]]]:
    """附件1 as printed: its columns and, per row in the document's order, 序号, 市县, values."""
    require_plan_reader(actor)
    columns = list(plan.indicators.filter(allocated=True).order_by("order"))
    targets = visible(
        actor, CountyTarget.objects.filter(indicator__in=columns).select_related("county")
    )
    cells: dict[int, dict[int, Decimal]] = defaultdict(dict)
    labels: dict[int, tuple[int, str]] = {}
    for t in targets:
        cells[t.county_id][t.indicator_id] = t.target
        labels[t.county_id] = (t.county.order, t.label)
    rows = [
        (order, label, [cells[cid][col.pk] for col in columns])
        for cid, (order, label) in sorted(labels.items(), key=lambda kv: kv[1][0])
    ]
    return columns, rows


def indicator_list(*, actor: User, plan: Plan) -> QuerySet[Indicator]:
    """The plan's indicators in the document's order (a plan the actor reached through
    ``plan_for_year``)."""
    return visible(actor, plan.indicators.select_related("parent")).order_by("order")


def allocation_history(*, actor: User, plan: Plan) -> QuerySet[Allocation]:
    return visible(actor, Allocation.objects.filter(indicator__plan=plan)).select_related(
        "indicator"
    )


def programme_list(*, actor: User, plan: Plan) -> list[Programme]:
    """The ten programmes with, in the actor's scope, their classes, trainees (名册人数) and
    certificates (取证人数) — counted over the programme's classes the actor sees.

    One grouped query over the plan's classes: the roster size is kept on the class, and the
    certificates of a class are its assessment's counts (附件2 结业考核, checked equal to the
    certificates entered), so neither a year of enrolments nor of certificates is read.
    """
    programmes = list(visible(actor, plan.programmes.prefetch_related("units__department")))
    classes = visible(actor, TrainingClass.objects.filter(programme__plan=plan)).order_by()
    counts: dict[int, dict[str, Any]] = {
        row["programme"]: dict(row)
        for row in classes.values("programme").annotate(
            n=Count("pk"),
            started=Count("pk", filter=Q(status__in=STARTED)),
            trainees=Sum("roster_size"),
        )
    }
    certified = {
        row["assessment__training_class__programme"]: row["n"]
        for row in visible(
            actor,
            AssessmentCount.objects.filter(assessment__training_class__programme__plan=plan),
        )
        .order_by()
        .values("assessment__training_class__programme")
        .annotate(n=Sum("certified"))
    }
    for p in programmes:
        row = counts.get(p.pk, {})
        p.class_count = row.get("n", 0)  # type: ignore[attr-defined]
        p.started_count = row.get("started", 0)  # type: ignore[attr-defined]
        p.trainee_count = row.get("trainees") or 0  # type: ignore[attr-defined]
        p.certificate_count = certified.get(p.pk) or 0  # type: ignore[attr-defined]
    return programmes


def programmes_of_year(*, actor: User, year: int) -> QuerySet[Programme]:
    """The programmes (专项) of the year's plan, as a class application may name them."""
    return visible(actor, Programme.objects.filter(plan__year=year))
