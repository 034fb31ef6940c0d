"""附件2 (年度补贴培训资金申请表) as one document: every box of a class — the header,
开班申请 with both review levels, 过程监管 with its inspections and the HR bureau's opinion,
结业考核 per assessment type with the patrol and the HR bureau's opinion — and of its live
claim (补贴资金申领, 资金拨付: ``subsidy.claim_form``), read in a constant number of queries
whatever the roster or the sessions. The HTML print view, the class page and the PDF
(``pdf.py``) all show what this returns.

Personal data is masked as everywhere else: the bank account shows its first and last four
digits (``ids.mask_account``, the log filter's rule), a mobile contact number its first
three and last four (``ids.mask_phone``); a landline is the institution's and shown whole.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from chizheng.accounts.models import User
from chizheng.core import clock, ids
from chizheng.core.review import Step, latest
from chizheng.registry.models import CertificateType

from .models import (
    AssessmentCount,
    FinalAssessment,
    Inspection,
    Opinion,
    Review,
    TrainingClass,
)
from .selectors import assessment_ahead_days, class_get

if TYPE_CHECKING:
    from chizheng.subsidy.models import Claim
    from chizheng.subsidy.selectors import Form

# 结业考核's rows, in the form's order: each assessment type and how the form words it.
COUNT_ROWS: tuple[tuple[str, str], ...] = (
    (CertificateType.VOCATIONAL_QUALIFICATION, "参加国家职业资格鉴定人数"),
    (CertificateType.SKILL_LEVEL, "参加职业技能等级评定人数"),
    (CertificateType.SPECIAL_OPERATION, "参加特种作业操作考核人数"),
    (CertificateType.SPECIAL_ABILITY, "参加专项能力考核认定人数"),
    (CertificateType.TRAINING_PASS, "参加结业考核人数"),
)


@dataclass(frozen=True)
class CountRow:
    """One assessment type of 结业考核: 参加…人数 and 取证人数 (None: not assessed so)."""

    certificate_type: str
    label: str
    taking: int | None
    certified: int | None


@dataclass(frozen=True)
class ClassHalf:
    """The upper half of 附件2 (header, 开班申请, 过程监管, 结业考核) of one class."""

    training_class: TrainingClass
    contact_phone: str  # masked when it is a person's mobile
    bank_account: str  # masked
    industry: tuple[Review | None, Review | None]  # 初审, 复核 (done), the latest round
    hr: tuple[Review | None, Review | None]
    opening: Inspection | None
    during: list[Inspection]
    checks_in_system: bool  # 检查情况是否在系统填报: recorded here, so yes once there is one
    supervision_opinion: Opinion | None  # 人力资源社会保障部门检查意见 (the latest)
    assessment: FinalAssessment | None
    assessment_ahead_days: int  # 提前N天: the policy in force on the registration day
    count_rows: list[CountRow]
    taking_total: int | None
    certified_total: int | None
    results_in_system: bool
    patrols: list[Opinion]  # 考核巡查人员签字: each patroller
    results_opinion: Opinion | None  # 人力资源社会保障部门意见 on the results (the latest)
    opinions: list[Opinion]  # every opinion and patrol, oldest first (their history)
    trainees: int


@dataclass(frozen=True)
class Annex2:
    """The whole form of a class: its half, and its live claim's when the actor may see one."""

    half: ClassHalf
    claim: Claim | None
    claim_form: Form | None
    printed_on: dt.date
    # The claim half's labels when there is no claim yet: §21's limits in force today.
    industry_label: str
    notice_min_days: int


def _latest(opinions: list[Opinion], kind: str) -> Opinion | None:
    return next((o for o in reversed(opinions) if o.kind == kind), None)


def class_half(*, training_class: TrainingClass) -> ClassHalf:
    """Every box of the upper half of a class the actor already reached (``class_get``)."""
    k = training_class
    reviews = list(k.reviews.filter(done_on__isnull=False).select_related("reviewer"))
    inspections = list(k.inspections.select_related("inspector").order_by("held_on", "id"))
    assessment = (
        FinalAssessment.objects.filter(training_class=k).select_related("evaluator").first()
    )
    counts: dict[str, AssessmentCount] = (
        {c.certificate_type: c for c in assessment.counts.all()} if assessment else {}
    )
    opinions = list(k.opinions.select_related("author").order_by("given_on", "id"))
    L = Review.Level

    def pair(level: str) -> tuple[Review | None, Review | None]:
        return (
            latest(reviews, level, Step.FIRST, done=True),
            latest(reviews, level, Step.SECOND, done=True),
        )

    phone = ids.normalise_phone(k.contact_phone)
    results = bool(assessment and assessment.results_entered_on)
    return ClassHalf(
        training_class=k,
        contact_phone=ids.mask_phone(phone) if ids.is_mobile(phone) else k.contact_phone,
        bank_account=ids.mask_account(k.bank_account),
        industry=pair(L.INDUSTRY),
        hr=pair(L.HR),
        opening=next((i for i in inspections if i.kind == Inspection.Kind.OPENING), None),
        during=[i for i in inspections if i.kind == Inspection.Kind.DURING],
        checks_in_system=bool(inspections),
        supervision_opinion=_latest(opinions, Opinion.Kind.SUPERVISION),
        assessment=assessment,
        assessment_ahead_days=assessment_ahead_days(
            on=assessment.registered_on if assessment else clock.today()
        ),
        count_rows=[
            CountRow(
                code,
                label,
                counts[code].taking if code in counts else None,
                counts[code].certified if code in counts else None,
            )
            for code, label in COUNT_ROWS
        ],
        taking_total=sum(c.taking for c in counts.values()) if results else None,
        certified_total=sum(c.certified for c in counts.values()) if results else None,
        results_in_system=results,
        patrols=[o for o in opinions if o.kind == Opinion.Kind.PATROL],
        results_opinion=_latest(opinions, Opinion.Kind.RESULTS),
        opinions=opinions,
        trainees=k.enrolments.count(),
    )


def annex2(*, actor: User, class_id: int) -> Annex2:
    """The whole 附件2 of a class the actor may read, with its live claim (the one not
    rejected) when the actor may read that too — an evaluator sees the class, not its claim.
    Another scope's class is "not found"."""
    from chizheng.subsidy import selectors as subsidy  # the subsidy app reads classes

    training_class = class_get(actor=actor, class_id=class_id)
    claim = subsidy.class_claim(actor=actor, class_id=training_class.pk)
    today = clock.today()
    return Annex2(
        half=class_half(training_class=training_class),
        claim=claim,
        claim_form=subsidy.claim_form(claim=claim) if claim else None,
        printed_on=today,
        industry_label=subsidy.industry_review_label(on=today),
        notice_min_days=subsidy.notice_min_days(on=today),
    )
