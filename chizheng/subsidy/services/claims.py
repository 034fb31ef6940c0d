"""Claims (附件2 补贴资金申领): calculating (or recalculating, until submitted) the claim of an
assessed class from everything the calculation reads, and submitting it with the
applicant's commitment to its industry department. A person is subsidised once per
occupation and level (``DuplicateSubsidy``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from chizheng.accounts import reviewers
from chizheng.accounts.access import access_by_id, require
from chizheng.accounts.models import User
from chizheng.assessment import certificate_mix
from chizheng.assessment.models import Certificate
from chizheng.core import audit, clock
from chizheng.core.errors import DomainError, ValidationError
from chizheng.core.inputs import check_text
from chizheng.registry import services as registry
from chizheng.rules import params
from chizheng.training import recheck
from chizheng.training import selectors as training_selectors
from chizheng.training import services as training
from chizheng.training.models import Enrolment, Mode, TrainingClass
from chizheng.training.models import Status as ClassStatus

from .. import calculation, standards, voucher_use, workflow
from ..models import ApplicantKind, Claim, ClaimLine, ClaimReview, ClaimStatus
from .common import _locked_claim
from .review import _open_review
from .vouchers import ensure_vouchers_open, vouchers_settle

# 附件2 补贴资金申领: the applicant's commitment, word for word.
COMMITMENT = (
    "我郑重承诺对提供的各项材料和信息真实性负责，自觉接受社会监督。"
    "若有违反本承诺的行为，依法接受处理，并承担相应的责任。"
)


INSTITUTION = ApplicantKind.INSTITUTION


class DuplicateSubsidy(DomainError):
    code = "duplicate_subsidy"
    http_status = 409


def _attendance(t: training_selectors.TraineeRate) -> dict[str, Any]:
    """A trainee's attendance as the calculation reads it (§21): the hours counted, exact,
    and the rate shown rounded down."""
    v = t.decision.values
    return {
        "rate": str(v["rate"]),
        "required": str(t.required.quantize(Decimal("0.001"))),
        "attended_hours": int(v["attended_hours"]),
        "class_hours": int(v["class_hours"]),
        "online_hours": int(v["online_hours"]),
        "makeup_hours": int(v["makeup_hours"]),
        "unrecognised_sessions": int(v["unrecognised_sessions"]),
        "clause": t.decision.clause,
    }


def _class_inputs(
    training_class: TrainingClass, on: dt.date, standard: standards.Standard
) -> dict[str, Any]:
    """Everything the calculation reads, in a fixed number of queries for any roster."""
    enrolments = list(
        Enrolment.objects.filter(training_class=training_class)
        .select_related("person")
        .order_by("id")
    )
    certs: dict[int, Certificate] = {}
    for c in Certificate.objects.filter(training_class=training_class).order_by("issued_on", "id"):
        certs.setdefault(c.person_id, c)
    apprenticeship = training_class.mode == Mode.APPRENTICESHIP
    keys = {
        c.person_id: standards.key_for(c.kind, c.skill_level, apprenticeship=apprenticeship)
        for c in certs.values()
    }
    held = {
        (r["person_id"], r["standard_key"]): r["claim_id"]
        for r in ClaimLine.objects.filter(
            counted=True,
            occupation_code=training_class.occupation_code,
            person_id__in=[e.person_id for e in enrolments],
        )
        # the class's own claim is being recomputed; a person's own claim (个人申请) counts
        .exclude(claim__training_class=training_class, claim__applicant_kind=INSTITUTION)
        .values("person_id", "standard_key", "claim_id")
    }
    refused: dict[str, list[str]] = {}
    for d in training_class.decisions or []:
        if d.get("outcome") == "fail" and str(d.get("rule", "")).startswith("trainee."):
            refused.setdefault(str(d.get("subject", "")), []).append(str(d["rule"]))
    evidence = training.evidence_report(training_class=training_class)
    trained = next(
        (d.values.get("trained") for d in evidence.decisions if d.rule == "attendance.trained"),
        None,
    )
    # Each trainee's recognised attendance (§19, §21): his credited online hours reach the
    # claim only through it, so void online time is never paid.
    attendance = {
        t.enrolment.person_id: _attendance(t)
        for t in training_selectors.class_attendance(training_class=training_class).trainees
    }
    # §20(3) asked again: an overlap that appeared after the class's submission.
    overlapping = recheck.overlaps(training_class=training_class, on=on)
    # The voucher each line presents, judged by ``claim.voucher`` (§20(5)).
    vouchers = voucher_use.presented(training_class=training_class, enrolments=enrolments, on=on)
    trainees = []
    for e in enrolments:
        p = e.person
        cert = certs.get(p.pk)
        key = keys.get(p.pk)
        ref = voucher_use.label(p)
        trainees.append(
            {
                "person_id": p.pk,
                "label": ref,
                "certificate": None
                if cert is None
                else {
                    "id": cert.pk,
                    "number": cert.number,
                    "kind": cert.kind,
                    "level": cert.skill_level,
                    "key": key or "",
                    "first_in_year": cert.first_in_year,
                    "first_high_in_year": cert.first_high_in_year,
                },
                "refused_by": sorted(
                    {r for subject, rules in refused.items() if ref in subject for r in rules}
                ),
                "overlap": overlapping.get(ref, ""),
                "subsidised_by": held.get((p.pk, key)) if key else None,
                "attendance": attendance.get(p.pk),
                "voucher": vouchers.get(p.pk),
            }
        )
    return {
        "class": {
            "id": training_class.pk,
            "batch": training_class.batch,
            "occupation": training_class.occupation_code,
        },
        "on": on.isoformat(),
        "standard": {k: str(i.amount) for k, i in standard.items.items()},
        "cap": int(trained) if trained is not None else None,
        "evidence": [d.as_dict() for d in evidence.decisions if d.outcome.value != "pass"],
        "trainees": trainees,
    }


def write_lines(
    claim: Claim, result: calculation.Result, *, occupation_code: str, taken: str
) -> None:
    """Replace the claim's lines with the calculation's. A payable line holds the person's one
    subsidy for the occupation and level (``counted``): if another claim took it between the
    read and this write, ``DuplicateSubsidy`` with ``taken`` (the applicant's words)."""
    claim.lines.all().delete()
    try:
        with transaction.atomic():
            ClaimLine.objects.bulk_create(
                [
                    ClaimLine(
                        claim=claim,
                        person_id=x.person_id,
                        certificate_id=x.certificate_id,
                        occupation_code=occupation_code,
                        standard_key=x.standard_key,
                        amount=x.amount,
                        payable=x.payable,
                        reason=x.reason,
                        priority=x.priority,
                        counted=x.payable,
                        voucher_id=x.voucher_id,
                    )
                    for x in result.lines
                ]
            )
    except IntegrityError:
        raise DuplicateSubsidy(
            taken, message_en="claimed for the same person, occupation and level meanwhile"
        ) from None


@transaction.atomic
def claim_calculate(*, actor: User, class_id: int) -> Claim:
    """Compute (or recompute, while not yet submitted) the claim of an assessed class."""
    require(actor, "subsidy.claim")
    training_class = access_by_id(
        actor, TrainingClass.objects.select_for_update(of=("self",)), class_id
    )
    require(
        actor,
        "subsidy.claim",
        training_class,
        message="只有开班机构可以申领补贴",
        message_en="only the class's institution",
    )
    if training_class.status != ClassStatus.ASSESSED:
        raise workflow.TransitionRefused(
            f"培训班状态为“{training_class.get_status_display()}”，结业考核后方可申领补贴"
        )
    today = clock.today()
    registry.ensure_may_act(
        institution=training_class.institution, action="subsidy.claim", on=today
    )
    rejected = Claim.objects.filter(
        training_class=training_class, applicant_kind=INSTITUTION, status=ClaimStatus.REJECTED
    ).first()
    if rejected is not None:  # 不予补贴 is final; returning for changes is the other way
        raise DuplicateSubsidy(
            "本班的补贴申领已被决定不予补贴，不能重新申领；如有异议请向市人社局申请复查",
            message_en="this class's claim was rejected; a rejection is final",
            code="claim_rejected",
            detail={"claim": rejected.pk},
        )
    claim = Claim.objects.filter(training_class=training_class, applicant_kind=INSTITUTION).first()
    if claim and claim.status not in (ClaimStatus.CALCULATED, ClaimStatus.RETURNED):
        raise DuplicateSubsidy(
            f"本班已有补贴申领（{claim.get_status_display()}），不能重复申领",
            message_en="this class already has a claim",
            detail={"claim": claim.pk},
        )
    vouchers_settle(training_class=training_class)
    standard = standards.standard_at(today, city_id=training_class.institution.county.city_id)
    inputs = _class_inputs(training_class, today, standard)
    # §19 watch on the year's actual certificates: kept with the inputs for the claim page
    # to flag; the calculation does not read it, so ``recompute`` is unchanged.
    inputs["certificate_mix"] = certificate_mix.watch(training_class.institution, on=today)
    result = calculation.calculate(inputs)
    policy = params.current()
    if claim is None:
        claim = Claim(
            training_class=training_class,
            institution=training_class.institution,
            county=training_class.institution.county,
            department=training_class.department,
            created_by=actor,
        )
    claim.persons, claim.amount = result.persons, result.total
    claim.calculation = {"inputs": inputs, "result": result.as_dict()}
    claim.calculated_on = today
    claim.policy_fingerprint = policy.fingerprint
    claim.standard_fingerprint = standard.fingerprint
    claim.save()
    write_lines(
        claim,
        result,
        occupation_code=training_class.occupation_code,
        taken="有学员已在其他申领中享受同职业同等级补贴，请重新测算",
    )
    audit.record(
        actor=actor,
        action="claim.calculate",
        obj=claim,
        after={"amount": str(claim.amount), "persons": claim.persons, "policy": policy.fingerprint},
    )
    return claim


@transaction.atomic
def claim_submit(*, actor: User, claim_id: int, applicant_name: str, commitment: str) -> Claim:
    """The institution signs the commitment of 附件2 and submits to its industry department."""
    claim = _locked_claim(actor, claim_id)
    require(actor, "subsidy.claim", claim, message="只有开班机构可以提交申领")
    if claim.institution is None:  # 个人申请: his own form, his bank account with it
        raise workflow.TransitionRefused(
            "个人申请的补贴请在“个人申领补贴”中重新提交",
            message_en="an individual's claim is resubmitted with individual_claim_resubmit",
            code="individual_claim",
        )
    check_text(applicant_name, field="applicant_name", label="申请承诺人", max_length=50)
    registry.ensure_may_act(institution=claim.institution, action="subsidy.claim")
    reviewers.ensure_reviewers(
        levels={
            "claim.review.industry": str(claim.department),
            "claim.review.hr": "人力资源社会保障部门",
            "claim.review.finance": "财政部门",
        },
        obj=claim,
        what="补贴申领",
    )
    if commitment.strip() != COMMITMENT:
        raise ValidationError(
            "须确认附件2的承诺内容",
            message_en="the commitment must be accepted as written",
            detail={"field": "commitment"},
        )
    if not applicant_name.strip():
        raise ValidationError("须填写申请承诺人姓名", detail={"field": "applicant_name"})
    if claim.persons == 0:
        raise ValidationError("没有可申领补贴的持证学员（以证换券、无证无价）")
    ensure_vouchers_open(claim=claim)
    today = clock.today()
    claim.applicant_name, claim.commitment = applicant_name.strip(), COMMITMENT
    claim.committed_on = claim.accepted_on = today
    claim.save(update_fields=["applicant_name", "commitment", "committed_on", "accepted_on"])
    workflow.fire(claim, "submit", actor=actor, reason=f"申请承诺人 {claim.applicant_name}")
    _open_review(claim, ClaimReview.Level.INDUSTRY, ClaimReview.Step.FIRST, today)
    return claim
