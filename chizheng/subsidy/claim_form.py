"""The lower half of 附件2 (补贴资金申领 … 资金拨付) of one claim, as the claim page and the
print of the whole form show it: ``claim_form(claim=...)`` reads a claim already read
through the access layer, whoever applied for it, so every kind of claim prints the same
boxes. Labels that quote a number read the policy in force (§21's limits)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from chizheng.core import clock
from chizheng.core.calendar import calendar
from chizheng.core.review import Step, latest
from chizheng.rules import params

from .models import Claim, ClaimReview, Disbursement, DisbursementPart, Objection
from .money import WAN_PLACES, ZERO, wan
from .services import COMMITMENT, SOURCES


def current_round(reviews: list[ClaimReview]) -> list[ClaimReview]:
    """After a return the chain starts again at the industry first review: only the latest
    round counts for the form and the deadlines (earlier rounds stay in the history)."""
    starts = [
        i
        for i, r in enumerate(reviews)
        if r.level == ClaimReview.Level.INDUSTRY and r.step == ClaimReview.Step.FIRST
    ]
    return reviews[starts[-1] :] if starts else reviews


@dataclass(frozen=True)
class FundPart:
    """One fund's part of a disbursement (附件2 资金来源)."""

    source: str
    name: str
    year: int
    amount: Decimal
    amount_wan: str


@dataclass
class Form:
    """The lower half of 附件2 (补贴资金申领 … 资金拨付) of one claim, filled from the records
    (``claim_form``); the records it read are kept for the claim page."""

    persons: int
    amount: Decimal
    amount_wan: str  # 万元 as 附件2 prints it: four decimals at least, never rounded
    commitment: str
    applicant_name: str
    committed_on: dt.date | None
    steps: list[tuple[str, ClaimReview | None, ClaimReview | None]]
    notice_from: dt.date | None
    notice_until: dt.date | None
    notice_earliest_end: dt.date | None
    notice_days: int | None
    notice_min_days: int  # §21's shortest notice, in force when the notice began (or today)
    notice_site: str  # whose website carries the notice: the city's HR bureau
    objections: list[Objection]
    paid_on: dt.date | None
    paid_amount: Decimal | None
    paid_wan: str
    recovered: Decimal
    sources: list[FundPart] = field(default_factory=list)
    reviews: list[ClaimReview] = field(default_factory=list)  # the current round
    disbursement: Disbursement | None = None
    parts: list[DisbursementPart] = field(default_factory=list)


def industry_review_label(*, on: dt.date) -> str:
    """附件2's line for the industry department's review, naming §21's limit in force on
    ``on`` (the day the claim was accepted)."""
    days = params.current().value("deadlines.industry_review_working_days", on)
    return f"行业主管部门审核情况（自受理之日起{days}个工作日内）"


def notice_min_days(*, on: dt.date) -> int:
    """§21's shortest public notice of a subsidy, in working days, in force on ``on``."""
    return int(params.current().value("deadlines.public_notice_min_working_days", on))


def claim_form(*, claim: Claim) -> Form:
    """The lower half of 附件2 of ``claim`` (already read through the access layer): the
    application and commitment, each level's first and second reviewer with their seal
    dates, the public notice with its objections, the disbursement and its funds. Labels
    that quote a number read the policy in force on the day it applied (the claim's
    acceptance, the notice's first day). A constant number of queries, whatever the claim."""
    reviews = current_round(list(claim.reviews.select_related("reviewer").order_by("id")))
    objections = list(claim.objections.select_related("handled_by").order_by("id"))
    d = Disbursement.objects.filter(claim=claim).first()
    parts = list(d.parts.select_related("fund").order_by("id")) if d else []
    L = ClaimReview.Level

    def pair(level: str) -> tuple[ClaimReview | None, ClaimReview | None]:
        return latest(reviews, level, Step.FIRST), latest(reviews, level, Step.SECOND)

    notice_days = None
    if claim.notice_from and claim.notice_until:
        cal = calendar()  # the office's overrides, read once
        notice_days = cal.count(claim.notice_from, claim.notice_until) + int(
            cal.is_workday(claim.notice_from)
        )
    return Form(
        persons=claim.persons,
        amount=claim.amount,
        amount_wan=wan(claim.amount, places=WAN_PLACES),
        commitment=claim.commitment or COMMITMENT,  # the form prints it, signed or not
        applicant_name=claim.applicant_name,
        committed_on=claim.committed_on,
        steps=[
            (
                industry_review_label(on=claim.accepted_on or clock.today()),
                *pair(L.INDUSTRY),
            ),
            ("人力资源社会保障部门审核意见", *pair(L.HR)),
            ("财政部门审核意见", *pair(L.FINANCE)),
        ],
        notice_from=claim.notice_from,
        notice_until=claim.notice_until,
        notice_earliest_end=claim.notice_earliest_end,
        notice_days=notice_days,
        notice_min_days=notice_min_days(on=claim.notice_from or clock.today()),
        notice_site=f"{claim.county.city.name}人力资源和社会保障局",
        objections=objections,
        paid_on=d.paid_on if d else None,
        paid_amount=d.amount if d else None,
        paid_wan=wan(d.amount, places=WAN_PLACES) if d else "",
        recovered=d.recovered if d else ZERO,
        sources=[
            FundPart(
                source=p.fund.source,
                name=SOURCES.get(p.fund.source, p.fund.source),
                year=p.fund.year,
                amount=p.amount,
                amount_wan=wan(p.amount, places=WAN_PLACES),
            )
            for p in parts
        ],
        reviews=reviews,
        disbursement=d,
        parts=parts,
    )
