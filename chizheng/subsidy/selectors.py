"""Reads of the subsidy app, every one scoped by the actor through the access layer
(except the public notice, which shows only what the document makes public, masked)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from chizheng.accounts.access import access_by_id, can, visible
from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.core.calendar import calendar
from chizheng.core.review import Seen, Step, latest, seen_of
from chizheng.org.models import County
from chizheng.registry.models import skill_level_title
from chizheng.rules import facts as f
from chizheng.rules.decision import percent
from chizheng.rules.evaluate import Report, evaluate

from . import calculation, individual_selectors, standards, workflow

# The claim half of 附件2 has its own module; its names are re-exported here.
from .claim_form import Form as Form
from .claim_form import FundPart as FundPart
from .claim_form import claim_form, current_round, notice_min_days
from .claim_form import industry_review_label as industry_review_label
from .models import (
    ApplicantKind,
    Claim,
    ClaimLine,
    ClaimReview,
    ClaimStatus,
    DisbursementPart,
    Fund,
    FundEntry,
    Recovery,
    Voucher,
)
from .money import ZERO
from .services import REVIEW_CHAIN, SOURCES

STEPS = {name: t.label for name, t in workflow.TRANSITIONS.items()}
STATES: dict[str, str] = dict(ClaimStatus.choices)


def mask_name(name: str) -> str:
    """王小明 → 王**: the public notice names nobody in full."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def claim_list(*, actor: User, status: str = "", overdue: bool = False) -> QuerySet[Claim]:
    # A list shows none of the calculation or the class's rule decisions: decoding those JSON
    # documents was most of the page's time (200 rows).
    qs = visible(
        actor,
        Claim.objects.select_related(
            "training_class", "institution", "county", "person", "trained_by"
        ).defer("calculation", "training_class__decisions"),
    )
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(reviews__done_on__isnull=True, reviews__due_on__lt=clock.today()).distinct()
    # A correlated count: computed for the rows shown, not grouped over every review.
    late = (
        ClaimReview.objects.filter(
            claim=OuterRef("pk"), done_on__isnull=True, due_on__lt=clock.today()
        )
        .order_by()
        .values("claim")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(overdue_steps=Coalesce(Subquery(late), 0)).order_by("-id")


def claim_get(*, actor: User, claim_id: int) -> Claim:
    return access_by_id(
        actor,
        Claim.objects.select_related(
            "training_class", "institution", "county__city", "department", "person", "trained_by"
        ),
        claim_id,
    )


def class_claim(*, actor: User, class_id: int) -> Claim | None:
    return (
        visible(
            actor,
            Claim.objects.filter(
                training_class_id=class_id, applicant_kind=ApplicantKind.INSTITUTION
            ),
        )
        .select_related("county__city")
        .exclude(status=ClaimStatus.REJECTED)
        .first()
    )


def _done(reviews: list[ClaimReview], level: str, step: str) -> ClaimReview | None:
    return latest(reviews, level, step, done=True)


def _accepted(reviews: list[ClaimReview], level: str) -> dt.date | None:
    first = latest(reviews, level, Step.FIRST)
    return first.accepted_on if first else None


def claim_facts(claim: Claim, reviews: list[ClaimReview], as_of: dt.date) -> f.Claim | None:
    if claim.accepted_on is None:
        return None
    L, S = ClaimReview.Level, ClaimReview.Step
    ind, hr, fin = (_done(reviews, lv, S.SECOND) for lv in (L.INDUSTRY, L.HR, L.FINANCE))
    return f.Claim(
        class_ref=claim.title,
        as_of=as_of,
        submitted_on=claim.accepted_on,
        industry_reviewed_on=ind.done_on if ind else None,
        notice_from=claim.notice_from,
        notice_until=claim.notice_until,
        hr_received_on=_accepted(reviews, L.HR),
        hr_done_on=hr.done_on if hr else None,
        finance_received_on=_accepted(reviews, L.FINANCE),
        finance_done_on=fin.done_on if fin else None,
    )


def claim_deadlines(*, claim: Claim, reviews: list[ClaimReview]) -> Report | None:
    """§21's limits on this claim's steps, judged by the rules engine today."""
    today = clock.today()
    facts = claim_facts(claim, current_round(reviews), today)
    if facts is None:
        return None
    return evaluate(
        facts, on=claim.accepted_on or today, calendar=calendar()
    )  # with the office's overrides


@dataclass(frozen=True)
class LineAttendance:
    """A claim line's attendance figures as the calculation read them (§21)."""

    rate: str  # as shown, rounded down: "65.0%"
    required: str
    attended_hours: int
    class_hours: int
    online_hours: int
    makeup_hours: int
    unrecognised_sessions: int
    short: bool


def _line_attendance(stored: dict[str, Any] | None) -> LineAttendance | None:
    if not stored:  # calculated before attendance was counted
        return None
    rate = Decimal(stored["attended_hours"]) / Decimal(stored["class_hours"])
    required = Decimal(stored["required"])
    return LineAttendance(
        rate=percent(rate, rounding=ROUND_FLOOR),
        required=percent(required),
        attended_hours=stored["attended_hours"],
        class_hours=stored["class_hours"],
        online_hours=stored["online_hours"],
        makeup_hours=stored.get("makeup_hours", 0),
        unrecognised_sessions=stored.get("unrecognised_sessions", 0),
        short=rate < required,
    )


def review_seen(*, claim: Claim) -> Seen | None:
    """The step pending on the claim and its version: what a review request must name."""
    return seen_of(REVIEW_CHAIN, claim)


def claim_page(*, actor: User, claim_id: int) -> dict[str, Any]:
    claim = claim_get(actor=actor, claim_id=claim_id)
    form = claim_form(claim=claim)
    reviews, d = form.reviews, form.disbursement
    lines = list(
        ClaimLine.objects.filter(claim=claim)
        .select_related("person", "certificate", "voucher")
        .order_by("id")
    )
    trainees = (claim.calculation or {}).get("inputs", {}).get("trainees", [])
    stored = {t["person_id"]: t.get("attendance") for t in trainees}
    presented = {t["person_id"]: t.get("voucher") for t in trainees}
    today = clock.today()
    transitions = list(claim.transitions.select_related("actor").order_by("at", "id"))
    return {
        "claim": claim,
        "applicant": individual_selectors.header(actor=actor, claim=claim),  # 个人申请
        "lines": lines,
        # each line with the attendance and the voucher (§20(5)) its calculation read
        "rows": [
            (x, _line_attendance(stored.get(x.person_id)), presented.get(x.person_id))
            for x in lines
        ],
        "reviews": reviews,
        "overdue": [r for r in reviews if r.done_on is None and r.due_on < today],
        "transitions": transitions,
        "history": [  # each step in words: 提交申领（已测算，待申领 → 待行业主管部门初审）
            (
                t,
                STEPS.get(t.name, t.name),
                *(STATES.get(x, x) for x in (t.from_status, t.to_status)),
            )
            for t in transitions
        ],
        "deadlines": claim_deadlines(claim=claim, reviews=reviews),
        "form": form,
        "parts": form.parts,
        "disbursement": d,
        "recoveries": list(Recovery.objects.filter(disbursement=d).order_by("id")) if d else [],
        "recomputes": calculation.recompute(claim.calculation) if claim.calculation else None,
        "labels": standards.LABELS,
    }


# ----------------------------------------------------------------------------- public notice


@dataclass(frozen=True)
class NoticeRow:
    claim_id: int
    institution: str  # the applying institution, or the one that trained the person
    batch: str
    occupation: str
    level: str
    persons: int
    amount: Decimal
    notice_from: dt.date | None
    earliest_end: dt.date | None
    county: str
    min_days: int  # §21's shortest notice, in force on its first day
    applicant: str = ""  # 个人申请: the person's name, masked (王**); "" for an institution's


def _notice_row(c: Claim, occupations: dict[str, str]) -> NoticeRow:
    k, cert = c.training_class, c.certificate
    if c.is_individual and cert is not None and c.person is not None:
        trained = c.trained_by.name if c.trained_by else ""
        code, level = cert.occupation_code, cert.skill_level
        name, applicant = occupations.get(code, ""), mask_name(c.person.name)
    else:
        assert k is not None and c.institution is not None
        trained, code, level = c.institution.name, k.occupation_code, k.skill_level
        name, applicant = k.occupation_name, ""
    return NoticeRow(
        claim_id=c.pk,
        institution=trained,
        applicant=applicant,
        batch=k.batch if k else "",
        occupation=f"{name}（{code}）",
        level=skill_level_title(level),
        persons=c.persons,
        amount=c.amount,
        notice_from=c.notice_from,
        earliest_end=c.notice_earliest_end,
        county=c.county.name,
        min_days=notice_min_days(on=c.notice_from or clock.today()),
    )


def public_notices() -> list[NoticeRow]:
    """Claims on public notice now: what §21 makes public, nothing personal."""
    qs = list(
        Claim.objects.filter(status=ClaimStatus.ON_NOTICE)
        .select_related(*_NOTICE_RELATED)
        .defer("calculation", "training_class__decisions")  # not shown: not decoded
        .order_by("notice_from", "id")
    )
    names = _occupations(qs)
    return [_notice_row(c, names) for c in qs]


_NOTICE_RELATED = ("training_class", "institution", "county", "person", "certificate", "trained_by")


def _occupations(claims: list[Claim]) -> dict[str, str]:
    """The names of the occupations of the individual claims' certificates."""
    codes = {c.certificate.occupation_code for c in claims if c.certificate is not None}
    return individual_selectors.occupation_names(codes) if codes else {}


def public_notice(*, claim_id: int) -> tuple[NoticeRow, list[dict[str, str]]]:
    c = (
        Claim.objects.filter(pk=claim_id, status=ClaimStatus.ON_NOTICE)
        .select_related(*_NOTICE_RELATED)
        .first()
    )
    if c is None:
        from chizheng.core.errors import NotFound

        raise NotFound("该公示不存在或已结束", message_en="no such notice open")
    people = [
        {
            "name": mask_name(x.person.name),
            "id": x.person.id_masked,
            "certificate": (x.certificate.get_kind_display() if x.certificate else ""),
            "amount": str(x.amount),
        }
        for x in ClaimLine.objects.filter(claim=c, payable=True)
        .select_related("person", "certificate")
        .order_by("id")
    ]
    return _notice_row(c, _occupations([c])), people


# ----------------------------------------------------------------------------- funds, bulletin


def fund_list(*, actor: User, year: int | None = None) -> QuerySet[Fund]:
    """The city's fund accounts — for the roles with ``fund.view`` (office, finance)."""
    if not can(actor, "fund.view"):
        return Fund.objects.none()
    qs = visible(actor, Fund.objects.all())
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("year", "id")


def fund_entries(*, actor: User, fund_id: int) -> QuerySet[FundEntry]:
    fund = access_by_id(actor, fund_list(actor=actor), fund_id)
    return fund.entries.select_related("claim__training_class", "actor").order_by("-id")


@dataclass(frozen=True)
class CountyTotal:
    code: str
    name: str
    claims: int
    persons: int
    amount: Decimal
    recovered: Decimal


@dataclass(frozen=True)
class FundTotal:
    source: str
    name: str
    amount: Decimal


@dataclass(frozen=True)
class Bulletin:
    start: dt.date
    end: dt.date
    by_county: list[CountyTotal]
    by_fund: list[FundTotal]
    total: Decimal
    recovered: Decimal


def disbursements(*, actor: User, start: dt.date, end: dt.date) -> Bulletin:
    """The quarterly disbursement bulletin (§三(三)): money paid between ``start`` and ``end``
    (inclusive) by county and by fund, and what was recovered in the same period; scoped
    (the city sees every county, a county HR bureau its own, others nothing)."""
    parts = visible(actor, DisbursementPart.objects.all()).filter(
        disbursement__paid_on__gte=start, disbursement__paid_on__lte=end
    )
    claims = visible(actor, Claim.objects.all()).filter(
        disbursement__paid_on__gte=start, disbursement__paid_on__lte=end
    )
    recs = visible(actor, Recovery.objects.all()).filter(on__gte=start, on__lte=end)
    per_county: dict[int, dict[str, Any]] = {
        r["county_id"]: dict(r)
        for r in claims.values("county_id").annotate(
            n=Count("id"), persons=Sum("persons"), amount=Sum("disbursement__amount")
        )
    }
    back = {
        r["disbursement__county_id"]: r["amount"]
        for r in recs.values("disbursement__county_id").annotate(amount=Sum("amount"))
    }
    counties = County.objects.filter(pk__in=set(per_county) | set(back)).order_by("code")
    by_county = [
        CountyTotal(
            c.code,
            c.name,
            per_county.get(c.pk, {}).get("n", 0),
            per_county.get(c.pk, {}).get("persons") or 0,
            per_county.get(c.pk, {}).get("amount") or ZERO,
            back.get(c.pk) or ZERO,
        )
        for c in counties
    ]
    fund_sums = {
        r["fund__source"]: r["amount"]
        for r in parts.values("fund__source").annotate(amount=Sum("amount"))
    }
    by_fund = [FundTotal(s, SOURCES[s], fund_sums[s]) for s in SOURCES if s in fund_sums]
    return Bulletin(
        start=start,
        end=end,
        by_county=by_county,
        by_fund=by_fund,
        total=sum((c.amount for c in by_county), ZERO),
        recovered=sum((c.recovered for c in by_county), ZERO),
    )


def quarter(day: dt.date) -> tuple[dt.date, dt.date]:
    q = (day.month - 1) // 3
    start = dt.date(day.year, 3 * q + 1, 1)
    end = (
        dt.date(day.year + 1, 1, 1) if q == 3 else dt.date(day.year, 3 * q + 4, 1)
    ) - dt.timedelta(days=1)
    return start, end


# ----------------------------------------------------------------------------- vouchers


def voucher_list(*, actor: User, status: str = "") -> QuerySet[Voucher]:
    qs = visible(
        actor,
        Voucher.objects.select_related("person", "training_class", "institution")
        # what a list does not show: the class's rule decisions (a JSON document each)
        .defer("training_class__decisions"),
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-issued_on", "-id")


def voucher_get(*, actor: User, voucher_id: int) -> Voucher:
    return access_by_id(
        actor, Voucher.objects.select_related("person", "training_class"), voucher_id
    )
