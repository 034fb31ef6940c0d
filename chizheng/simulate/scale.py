"""How big a simulated year is, as data: classes per county, trainees per class, the share
of classes that reach each state by "today", the mix of modes, programmes and certificates,
and the claims made on the assessed classes.

Where the figures come from: 附件1 (平技领办〔2022〕5号) sets the city's 2022 targets — about
150,000 new certificate holders over the year across the twelve units. With about 40
trainees a class and three in four certified, that is about 5,000 classes and 200,000
trainees (``CITY``). The demo's slice (``SLICE``) is a fixed fraction of that: 26 classes in
each of the 12 units (312 classes, about 1/16 of the city's) of 8–12 trainees, on the demo's
day 2022-05-10, so that every state and every role has real work and the demo loads in
under three minutes on two cores.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from chizheng.training.models import Mode, Status

# The states a class may be left in by "today", in the order of the lifecycle.
CLASS_STATES: tuple[str, ...] = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.INDUSTRY_FIRST,
    Status.HR_REVIEW,
    Status.HR_FIRST,
    Status.RETURNED,
    Status.REJECTED,
    Status.WITHDRAWN,
    Status.APPROVED,
    Status.IN_TRAINING,
    Status.ASSESSMENT_REGISTERED,
    Status.ASSESSED,
)

# Where a claim may stop by "today" (``claims``): the steps of 附件2 补贴资金申领 in order.
CLAIM_STATES: tuple[str, ...] = (
    "calculated",
    "submitted",
    "industry_first",
    "on_notice",
    "hr_review",
    "hr_first",
    "finance_review",
    "finance_first",
    "approved",
    "paid",
)


@dataclass(frozen=True)
class Scale:
    """One size of year. Shares are weights (they need not add up to 1)."""

    name: str
    classes_per_county: int
    trainees: tuple[int, int]  # fewest and most trainees of a class (§20(1): at most 80)
    # The share of classes left in each state on "today" (a weight per CLASS_STATES entry).
    states: dict[str, int]
    # 附件2's modes drawn for the year's classes; pure-online and apprenticeship classes have
    # conditions of their own and are built apart (``modes``), ``per_mode`` of each.
    modes: dict[str, int] = field(
        default_factory=lambda: {Mode.COMMISSIONED: 6, Mode.ENTERPRISE_SELF: 3, Mode.BLENDED: 1}
    )
    # The ten programmes of §1–10, by number: 重点产业 and 安全河南 run the most classes.
    programmes: dict[int, int] = field(
        default_factory=lambda: {1: 20, 2: 8, 3: 8, 4: 8, 5: 14, 6: 12, 7: 8, 8: 8, 9: 8, 10: 6}
    )
    certified_share: float = 0.75  # 附件1: about three in four trainees certified
    absent_share: float = 0.05  # trainees absent from a session (a makeup is approved for some)
    survey_every: int = 4  # one class in N runs the satisfaction survey (§19)
    survey_answers: int = 3  # trainees who answer it
    claim_share: float = 0.8  # assessed classes whose institution claims
    # Where those claims stop (a weight per CLAIM_STATES entry); time may stop them earlier.
    claim_states: dict[str, int] = field(
        default_factory=lambda: {
            "calculated": 1,
            "submitted": 1,
            "industry_first": 1,
            "on_notice": 2,
            "hr_review": 1,
            "hr_first": 1,
            "finance_review": 1,
            "finance_first": 1,
            "approved": 1,
            "paid": 10,
        }
    )
    objection_every: int = 5  # one claim on notice in N draws an objection
    # The year's budget per fund source, added by the simulation (yuan).
    budgets: dict[str, str] = field(
        default_factory=lambda: {
            "employment_subsidy": "2000000.00",
            "unemployment_insurance": "2000000.00",
            "local_talent": "500000.00",
        }
    )
    counties: tuple[str, ...] = ()  # county codes; empty means all twelve
    per_mode: int = 2  # apprenticeship and pure-online classes (``modes``), of each
    # Blended classes whose trainees' online learning logs are made (``online_logs``, the
    # earliest first; None: every one). The pure-online classes always have theirs.
    online_log_classes: int | None = None
    # Sites each training institution trains at (``actors``): the demo registers one; a
    # year of city size runs ≈ 25 classes of an institution at once (§20(1)'s 1:20 a
    # workstation). The draw puts a class on the site with room (``capacity``), leaving
    # ``reserve`` of every site's and evaluator's capacity to the classes built beside it.
    sites: int = 1
    reserve: float = 0.1
    # Days an assessment may move after its usual day when its evaluator is full that day;
    # other starts drawn for a class no site of its county has room for.
    assessment_slack: int = 10
    redraws: int = 8


SLICE_STATES: dict[str, int] = {
    Status.DRAFT: 4,
    Status.SUBMITTED: 4,
    Status.INDUSTRY_FIRST: 3,
    Status.HR_REVIEW: 3,
    Status.HR_FIRST: 3,
    Status.RETURNED: 3,
    Status.REJECTED: 2,
    Status.WITHDRAWN: 2,
    Status.APPROVED: 8,
    Status.IN_TRAINING: 12,
    Status.ASSESSMENT_REGISTERED: 6,
    Status.ASSESSED: 50,
}
# By December 20 almost the whole year is assessed; what is left is December's intake.
CITY_STATES: dict[str, int] = {
    Status.DRAFT: 1,
    Status.SUBMITTED: 1,
    Status.INDUSTRY_FIRST: 1,
    Status.HR_REVIEW: 1,
    Status.HR_FIRST: 1,
    Status.RETURNED: 1,
    Status.REJECTED: 1,
    Status.WITHDRAWN: 1,
    Status.APPROVED: 2,
    Status.IN_TRAINING: 4,
    Status.ASSESSMENT_REGISTERED: 2,
    Status.ASSESSED: 84,
}

SLICE = Scale(
    name="slice",
    classes_per_county=26,
    trainees=(8, 12),
    states=SLICE_STATES,
    online_log_classes=6,  # ≈ 75,000 events beside the pure-online classes' ≈ 126,000
)
# 5,000 classes / 12 units ≈ 417 a unit; 200,000 trainees / 5,000 classes = 40 a class.
CITY = Scale(
    name="city",
    classes_per_county=417,
    trainees=(30, 50),
    states=CITY_STATES,
    per_mode=12,
    sites=4,
    # The first source in §21's order runs out part-way through the year: later payments
    # split across funds (≈ 100 million yuan is paid by December).
    budgets={
        "employment_subsidy": "60000000.00",
        "unemployment_insurance": "100000000.00",
        "local_talent": "20000000.00",
    },
)
SCALES = {s.name: s for s in (SLICE, CITY)}

# The simulated "today" when none is given: the demo's day for the slice, December 20 else.
SLICE_TODAY = dt.date(2022, 5, 10)


def default_today(scale: Scale, year: int) -> dt.date:
    if scale.name == "slice" and year == SLICE_TODAY.year:
        return SLICE_TODAY
    return dt.date(year, 12, 20)
