"""Writes of the subsidy app: claims and their review chain, the public notice and its
objections, fund accounts, disbursement and recovery, the office's standard versions, and
electronic training vouchers. Keyword-only, typed, each in a transaction with an audit event.

Lock order (PostgreSQL), to keep concurrent writers from deadlocking: the claim row first,
then the fund rows of the year in primary-key order, then (inside ``audit.record``) the
audit chain head. Every service that touches a claim and funds takes them in that order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Sum

from chizheng.accounts.access import access_by_id, require
from chizheng.accounts.models import Role, User
from chizheng.assessment.models import Certificate
from chizheng.core import audit, clock
from chizheng.core.calendar import calendar
from chizheng.core.errors import DomainError, NotFound, PermissionDenied, ValidationError
from chizheng.core.inputs import FIRST_YEAR, LAST_YEAR, LONG_TEXT, check_choice, check_text
from chizheng.core.review import Seen, check_seen
from chizheng.registry import services as registry
from chizheng.registry.models import Person
from chizheng.rules import params
from chizheng.training import services as training
from chizheng.training.models import Enrolment, Mode, TrainingClass
from chizheng.training.models import Status as ClassStatus

from . import calculation, standards, workflow
from .models import (
    SOURCES,
    Claim,
    ClaimLine,
    ClaimReview,
    ClaimStatus,
    Disbursement,
    DisbursementPart,
    Fund,
    FundEntry,
    Objection,
    Recovery,
    StandardVersion,
    Voucher,
    VoucherEvent,
    VoucherStatus,
)
from .money import ZERO, cents, check_amount

# 附件2 补贴资金申领: the applicant's commitment, word for word.
COMMITMENT = (
    "我郑重承诺对提供的各项材料和信息真实性负责，自觉接受社会监督。"
    "若有违反本承诺的行为，依法接受处理，并承担相应的责任。"
)


LEVEL_DEADLINE: dict[str, str] = {
    ClaimReview.Level.INDUSTRY: "deadlines.industry_review_working_days",
    ClaimReview.Level.HR: "deadlines.hr_review_working_days",
    ClaimReview.Level.FINANCE: "deadlines.finance_review_working_days",
}
STEP_OF = {
    ClaimStatus.SUBMITTED: (ClaimReview.Level.INDUSTRY, ClaimReview.Step.FIRST, "industry_first"),
    ClaimStatus.INDUSTRY_FIRST: (
        ClaimReview.Level.INDUSTRY,
        ClaimReview.Step.SECOND,
        "industry_second",
    ),
    ClaimStatus.HR_REVIEW: (ClaimReview.Level.HR, ClaimReview.Step.FIRST, "hr_first"),
    ClaimStatus.HR_FIRST: (ClaimReview.Level.HR, ClaimReview.Step.SECOND, "hr_second"),
    ClaimStatus.FINANCE_REVIEW: (
        ClaimReview.Level.FINANCE,
        ClaimReview.Step.FIRST,
        "finance_first",
    ),
    ClaimStatus.FINANCE_FIRST: (
        ClaimReview.Level.FINANCE,
        ClaimReview.Step.SECOND,
        "finance_second",
    ),
}


# The conclusions of a review step of the claim chain (the transitions of the same names).
REVIEW_DECISIONS = {"approve": "同意", "return": "退回修改", "reject": "不予补贴"}


class DuplicateSubsidy(DomainError):
    code = "duplicate_subsidy"
    http_status = 409


class InsufficientFunds(DomainError):
    code = "insufficient_funds"
    http_status = 409


class NoticeNotClosable(DomainError):
    code = "notice_not_closable"
    http_status = 409


class VoucherRefused(DomainError):
    code = "voucher_refused"
    http_status = 409


def _claims() -> Any:
    return Claim.objects.select_related("training_class", "institution", "county", "department")


def _locked_claim(actor: User, claim_id: int) -> Claim:
    """The claim, visible to the actor, row-locked (first in the lock order)."""
    return access_by_id(actor, Claim.objects.select_for_update(of=("self",)), claim_id)


# ----------------------------------------------------------------------------- standards


@transaction.atomic
def standard_version_add(
    *,
    actor: User,
    key: str,
    amount: Decimal,
    valid_from: dt.date,
    clause: str,
    original: str,
    source: str,
    note: str = "",
) -> StandardVersion:
    """The city office enters a new dated amount of one item of the standard."""
    require(actor, "subsidy.standard")
    check_amount(amount)
    check_text(key, field="key", label="标准项目", max_length=40)
    check_text(clause, field="clause", label="条款", max_length=60)
    check_text(original, field="original", label="原文", max_length=LONG_TEXT, multiline=True)
    check_text(source, field="source", label="文件", max_length=100)
    check_text(note, field="note", label="说明", max_length=LONG_TEXT, multiline=True)
    if actor.city_id is None:
        raise ValidationError("须由市级用户录入补贴标准", detail={"field": "city"})
    known = standards.standard_at(valid_from, city_id=actor.city_id).items
    if key not in known:
        raise ValidationError(f"未知的补贴标准项目：{key}", detail={"field": "key"})
    if amount < 0:
        raise ValidationError("金额不能为负数", detail={"field": "amount"})
    if not any(mark in clause for mark in ("§", "附件")):
        raise ValidationError("条款须引用文件条款，如“§20(5)”", detail={"field": "clause"})
    if not original.strip() or not source.strip():
        raise ValidationError("须填写原文和文件名称", detail={"field": "original"})
    if StandardVersion.objects.filter(
        city_id=actor.city_id, key=key, valid_from=valid_from
    ).exists():
        raise ValidationError("该项目在此生效日期已有版本", detail={"field": "valid_from"})
    before = known[key]
    v = StandardVersion.objects.create(
        city_id=actor.city_id,
        key=key,
        amount=cents(amount),
        valid_from=valid_from,
        clause=clause,
        original=original,
        source=source,
        note=note,
        entered_by=actor,
        entered_at=clock.now(),
    )
    audit.record(
        actor=actor,
        action="subsidy.standard_version",
        obj=v,
        before={"key": key, "amount": str(before.amount), "from": str(before.valid_from)},
        after={"key": key, "amount": str(v.amount), "from": str(valid_from)},
        reason=note,
    )
    return v


# ----------------------------------------------------------------------------- claims


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
        .exclude(claim__training_class=training_class)
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
    trainees = []
    for e in enrolments:
        p = e.person
        cert = certs.get(p.pk)
        key = keys.get(p.pk)
        ref = f"{p.name}（{p.id_masked}）"
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
                "subsidised_by": held.get((p.pk, key)) if key else None,
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


@transaction.atomic
def claim_calculate(*, actor: User, class_id: int) -> Claim:
    """Compute (or recompute, while not yet submitted) the claim of an assessed class."""
    require(actor, "subsidy.claim")
    training_class = access_by_id(
        actor, TrainingClass.objects.select_for_update(of=("self",)), class_id
    )
    if actor.role != Role.INSTITUTION or training_class.institution_id != actor.institution_id:
        raise PermissionDenied(
            "只有开班机构可以申领补贴", message_en="only the class's institution"
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
        training_class=training_class, status=ClaimStatus.REJECTED
    ).first()
    if rejected is not None:  # 不予补贴 is final; returning for changes is the other way
        raise DuplicateSubsidy(
            "本班的补贴申领已被决定不予补贴，不能重新申领；如有异议请向市人社局申请复查",
            message_en="this class's claim was rejected; a rejection is final",
            code="claim_rejected",
            detail={"claim": rejected.pk},
        )
    claim = Claim.objects.filter(training_class=training_class).first()
    if claim and claim.status not in (ClaimStatus.CALCULATED, ClaimStatus.RETURNED):
        raise DuplicateSubsidy(
            f"本班已有补贴申领（{claim.get_status_display()}），不能重复申领",
            message_en="this class already has a claim",
            detail={"claim": claim.pk},
        )
    vouchers_settle(training_class=training_class)
    standard = standards.standard_at(today, city_id=training_class.institution.county.city_id)
    inputs = _class_inputs(training_class, today, standard)
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
    claim.lines.all().delete()
    try:
        with transaction.atomic():
            ClaimLine.objects.bulk_create(
                [
                    ClaimLine(
                        claim=claim,
                        person_id=x.person_id,
                        certificate_id=x.certificate_id,
                        occupation_code=training_class.occupation_code,
                        standard_key=x.standard_key,
                        amount=x.amount,
                        payable=x.payable,
                        reason=x.reason,
                        priority=x.priority,
                        counted=x.payable,
                    )
                    for x in result.lines
                ]
            )
    except IntegrityError:
        # Another claim took the same person, occupation and level between our read and write.
        raise DuplicateSubsidy(
            "有学员已在其他申领中享受同职业同等级补贴，请重新测算",
            message_en="a trainee was claimed for the same occupation and level meanwhile",
        ) from None
    audit.record(
        actor=actor,
        action="claim.calculate",
        obj=claim,
        after={"amount": str(claim.amount), "persons": claim.persons, "policy": policy.fingerprint},
    )
    return claim


def _open_review(claim: Claim, level: str, step: str, accepted_on: dt.date) -> ClaimReview:
    first = (
        claim.reviews.filter(level=level, step=ClaimReview.Step.FIRST).order_by("-id").first()
        if step == ClaimReview.Step.SECOND
        else None
    )
    if first is not None:
        # Both steps of a level count against one limit from the level's acceptance.
        accepted_on, due_on = first.accepted_on, first.due_on
    else:
        limit = params.current().value(LEVEL_DEADLINE[level], accepted_on)
        due_on = calendar().add(accepted_on, limit)
    return ClaimReview.objects.create(
        claim=claim, level=level, step=step, accepted_on=accepted_on, due_on=due_on
    )


@transaction.atomic
def claim_submit(*, actor: User, claim_id: int, applicant_name: str, commitment: str) -> Claim:
    """The institution signs the commitment of 附件2 and submits to its industry department."""
    claim = _locked_claim(actor, claim_id)
    if actor.role != Role.INSTITUTION or claim.institution_id != actor.institution_id:
        raise PermissionDenied("只有开班机构可以提交申领")
    check_text(applicant_name, field="applicant_name", label="申请承诺人", max_length=50)
    registry.ensure_may_act(institution=claim.institution, action="subsidy.claim")
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
    today = clock.today()
    claim.applicant_name, claim.commitment = applicant_name.strip(), COMMITMENT
    claim.committed_on = claim.accepted_on = today
    claim.save(update_fields=["applicant_name", "commitment", "committed_on", "accepted_on"])
    workflow.fire(claim, "submit", actor=actor, reason=f"申请承诺人 {claim.applicant_name}")
    _open_review(claim, ClaimReview.Level.INDUSTRY, ClaimReview.Step.FIRST, today)
    return claim


def _may_review(actor: User, claim: Claim, review: ClaimReview) -> None:
    require(actor, "subsidy.review")
    if review.level == ClaimReview.Level.INDUSTRY:
        ok = actor.role == Role.INDUSTRY and actor.department_id == claim.department_id
    elif review.level == ClaimReview.Level.HR:
        ok = actor.role == Role.PROGRAMME_OFFICE or (
            actor.role == Role.COUNTY_HR and actor.county_id == claim.county_id
        )
    else:
        ok = actor.role == Role.FINANCE and actor.city_id == claim.county.city_id
    if not ok:
        raise PermissionDenied(
            f"您不能进行“{review.get_level_display()}{review.get_step_display()}”",
            message_en="not your review",
        )
    if review.step == ClaimReview.Step.SECOND:
        first = (
            claim.reviews.filter(
                level=review.level, step=ClaimReview.Step.FIRST, done_on__isnull=False
            )
            .order_by("-id")
            .first()
        )
        if first and first.reviewer_id == actor.pk:
            raise PermissionDenied(
                "复核须由初审人以外的人员进行",
                message_en="the second review must be by another person",
                code="same_reviewer",
            )


def _release_lines(claim: Claim) -> None:
    claim.lines.update(counted=False)


@transaction.atomic
def claim_review(
    *, actor: User, claim_id: int, decision: str, seen: Seen, opinion: str = ""
) -> ClaimReview:
    """One review step of the claim's current level: approve, return or reject. ``seen`` is
    the step and version the reviewer had in front of him: refused if either is no longer so."""
    claim = _locked_claim(actor, claim_id)
    if claim.status not in STEP_OF:
        raise workflow.TransitionRefused(f"“{claim.get_status_display()}”状态的申领不在审核中")
    level, step, name = STEP_OF[ClaimStatus(claim.status)]
    review = claim.reviews.filter(level=level, step=step, done_on__isnull=True).last()
    if review is None:
        review = _open_review(claim, level, step, clock.today())
    _may_review(actor, claim, review)
    check_seen(
        seen,
        level=level,
        step=step,
        version=claim.version,
        pending=f"{review.get_level_display()}{review.get_step_display()}",
        what="申领",
    )
    check_choice(decision, REVIEW_DECISIONS, field="decision", label="审核结论")
    check_text(opinion, field="opinion", label="审核意见", max_length=LONG_TEXT, multiline=True)
    if decision != "approve" and not opinion.strip():
        raise ValidationError("退回或不予补贴须说明理由", detail={"field": "opinion"})
    today = clock.today()
    review.reviewer, review.decision, review.opinion, review.done_on = (
        actor,
        decision,
        opinion,
        today,
    )
    review.save()
    if decision != "approve":
        workflow.fire(claim, decision, actor=actor, reason=opinion)
        if decision == "reject":
            _release_lines(claim)
        return review
    workflow.fire(claim, name, actor=actor, reason=opinion)
    if claim.status == ClaimStatus.ON_NOTICE:
        cal = calendar()
        start = today if cal.is_workday(today) else cal.add(today, 1)
        need = params.current().value("deadlines.public_notice_min_working_days", start)
        claim.notice_from, claim.notice_earliest_end = start, cal.window(start, need)
        claim.notice_until = None
        claim.save(update_fields=["notice_from", "notice_earliest_end", "notice_until"])
    elif step == ClaimReview.Step.FIRST:
        _open_review(claim, level, ClaimReview.Step.SECOND, today)
    elif claim.status == ClaimStatus.FINANCE_REVIEW:
        _open_review(claim, ClaimReview.Level.FINANCE, ClaimReview.Step.FIRST, today)
    return review


def _may_handle_notice(actor: User, claim: Claim) -> None:
    require(actor, "notice.handle")
    if not (
        actor.role == Role.PROGRAMME_OFFICE
        or (actor.role == Role.COUNTY_HR and actor.county_id == claim.county_id)
    ):
        raise PermissionDenied("只有本县（市、区）人社局或市人社局可以处理公示")


@transaction.atomic
def notice_close(*, actor: User, claim_id: int) -> Claim:
    """End the public notice and pass the claim to HR review — only after the notice has run
    its full working days (the day after the window's last day) with every objection handled."""
    claim = _locked_claim(actor, claim_id)
    _may_handle_notice(actor, claim)
    if claim.status != ClaimStatus.ON_NOTICE or claim.notice_earliest_end is None:
        raise workflow.TransitionRefused("该申领不在公示期")
    today = clock.today()
    if today <= claim.notice_earliest_end:
        raise NoticeNotClosable(
            f"公示自{claim.notice_from}起须满{_notice_days(claim)}个工作日，"
            f"{claim.notice_earliest_end}期满后方可结束公示",
            message_en=f"the notice runs until {claim.notice_earliest_end}",
            detail={"earliest_end": claim.notice_earliest_end.isoformat()},
        )
    open_ = claim.objections.filter(outcome=Objection.Outcome.OPEN).count()
    if open_:
        raise NoticeNotClosable(
            f"公示期间收到的异议尚有{open_}件未处理，不能结束公示",
            message_en=f"{open_} objection(s) not handled",
            detail={"open_objections": open_},
        )
    claim.notice_until = today - dt.timedelta(days=1)
    claim.save(update_fields=["notice_until"])
    workflow.fire(claim, "notice_close", actor=actor, reason=f"公示至{claim.notice_until}")
    _open_review(claim, ClaimReview.Level.HR, ClaimReview.Step.FIRST, today)
    return claim


def _notice_days(claim: Claim) -> int:
    assert claim.notice_from is not None
    return int(
        params.current().value("deadlines.public_notice_min_working_days", claim.notice_from)
    )


@transaction.atomic
def objection_submit(*, claim_id: int, text: str, contact: str = "") -> Objection:
    """Anyone may object to a claim on public notice (no sign-in)."""
    claim = Claim.objects.select_for_update().filter(pk=claim_id).first()
    if claim is None or claim.status != ClaimStatus.ON_NOTICE:
        raise NotFound("该公示不存在或已结束", message_en="no such notice open")
    text = text.strip()
    check_text(text, field="text", label="异议内容", multiline=True)
    check_text(contact, field="contact", label="联系方式", max_length=60)
    if not 5 <= len(text) <= 2000:
        raise ValidationError("请填写异议内容（5–2000字）", detail={"field": "text"})
    o = Objection.objects.create(
        claim=claim, text=text, contact=contact.strip()[:60], received_at=clock.now()
    )
    audit.record(actor=None, action="claim.objection", obj=o, after={"claim": claim.pk})
    return o


@transaction.atomic
def objection_handle(*, actor: User, objection_id: int, outcome: str, handling: str) -> Objection:
    """The office's handling of one objection; an upheld objection returns the claim."""
    o = access_by_id(actor, Objection.objects.select_related("claim"), objection_id)
    claim = _locked_claim(actor, o.claim_id)
    _may_handle_notice(actor, claim)
    if o.outcome != Objection.Outcome.OPEN:
        raise workflow.TransitionRefused("该异议已处理")
    if outcome not in (Objection.Outcome.DISMISSED, Objection.Outcome.UPHELD):
        raise ValidationError("处理结论须为异议不成立或异议成立", detail={"field": "outcome"})
    if not handling.strip():
        raise ValidationError("须填写处理情况", detail={"field": "handling"})
    check_text(handling, field="handling", label="处理情况", max_length=LONG_TEXT, multiline=True)
    o.outcome, o.handling, o.handled_by, o.handled_on = outcome, handling, actor, clock.today()
    o.save()
    audit.record(
        actor=actor,
        action="claim.objection_handle",
        obj=o,
        after={"outcome": outcome},
        reason=handling,
    )
    if outcome == Objection.Outcome.UPHELD and claim.status == ClaimStatus.ON_NOTICE:
        claim.notice_until = clock.today()
        claim.save(update_fields=["notice_until"])
        workflow.fire(claim, "return", actor=actor, reason=f"公示异议成立：{handling}")
    return o


# ----------------------------------------------------------------------------- funds


@transaction.atomic
def fund_budget(*, actor: User, source: str, year: int, amount: Decimal, reason: str) -> Fund:
    """Add (or, negative, reduce) the budget of one source's fund for a year."""
    require(actor, "fund.manage")
    if source not in SOURCES:
        raise ValidationError(f"未知的资金来源：{source}", detail={"field": "source"})
    if not reason.strip():
        raise ValidationError("须说明预算依据", detail={"field": "reason"})
    check_text(reason, field="reason", label="预算依据", max_length=200, multiline=True)
    check_amount(amount)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(f"年度应在{FIRST_YEAR}至{LAST_YEAR}之间", detail={"field": "year"})
    amount = cents(amount)
    assert actor.city_id is not None
    fund, _ = Fund.objects.get_or_create(city_id=actor.city_id, source=source, year=year)
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    if fund.balance + amount < 0:
        raise InsufficientFunds(f"{SOURCES[source]}余额{fund.balance}元，不足以调减{-amount}元")
    before = {"budget": str(fund.budget), "balance": str(fund.balance)}
    fund.budget += amount
    fund.balance += amount
    fund.save(update_fields=["budget", "balance"])
    FundEntry.objects.create(
        fund=fund,
        kind=FundEntry.Kind.BUDGET,
        amount=amount,
        reason=reason,
        actor=actor,
        on=clock.today(),
        at=clock.now(),
    )
    audit.record(
        actor=actor,
        action="fund.budget",
        obj=fund,
        before=before,
        after={"budget": str(fund.budget), "balance": str(fund.balance)},
        reason=reason,
    )
    return fund


@dataclass(frozen=True)
class Draw:
    source: str
    amount: Decimal


def plan_draws(order: tuple[str, ...], balances: dict[str, Decimal], amount: Decimal) -> list[Draw]:
    """Draw ``amount`` from the sources in the policy's order, each down to zero at most.
    Pure; raises ``InsufficientFunds`` if all of them together fall short."""
    left, draws = amount, []
    for source in order:
        if left <= 0:
            break
        take = min(balances.get(source, ZERO), left)
        if take > 0:
            draws.append(Draw(source, take))
            left -= take
    if left > 0:
        available = sum((balances.get(s, ZERO) for s in order), ZERO)
        raise InsufficientFunds(
            f"各资金来源余额合计{available}元，不足以拨付{amount}元",
            message_en=f"funds hold {available}, {amount} needed",
            detail={"needed": str(amount), "available": str(available)},
        )
    return draws


@transaction.atomic
def claim_disburse(*, actor: User, claim_id: int) -> Disbursement:
    """Pay an approved claim from the funds in §21's order, splitting across sources.

    The claim row is locked first: a second, concurrent disbursement waits, then finds the
    claim paid and is refused (and ``Disbursement.claim`` is unique besides)."""
    require(actor, "fund.manage")
    claim = _locked_claim(actor, claim_id)
    if claim.status == ClaimStatus.PAID:
        raise workflow.TransitionRefused(
            "该申领已拨付，不能重复拨付", code="already_paid", detail={"claim": claim.pk}
        )
    if claim.status != ClaimStatus.APPROVED:
        raise workflow.TransitionRefused(f"“{claim.get_status_display()}”状态的申领不能拨付")
    today = clock.today()
    order = tuple(params.current().value("funding.source_order", today))
    funds = list(
        Fund.objects.select_for_update()
        .filter(city_id=claim.county.city_id, year=today.year)
        .order_by("pk")
    )
    by_source = {f.source: f for f in funds}
    draws = plan_draws(order, {f.source: f.balance for f in funds}, claim.amount)
    d = Disbursement.objects.create(
        claim=claim, county=claim.county, paid_on=today, amount=claim.amount, actor=actor
    )
    for draw in draws:
        fund = by_source[draw.source]
        Fund.objects.filter(pk=fund.pk).update(balance=F("balance") - draw.amount)
        DisbursementPart.objects.create(disbursement=d, fund=fund, amount=draw.amount)
        FundEntry.objects.create(
            fund=fund,
            kind=FundEntry.Kind.DRAW,
            amount=-draw.amount,
            claim=claim,
            reason=f"拨付 {claim.training_class.batch}",
            actor=actor,
            on=today,
            at=clock.now(),
        )
    workflow.fire(
        claim,
        "disburse",
        actor=actor,
        reason="；".join(f"{SOURCES[x.source]} {x.amount}元" for x in draws),
    )
    return d


@transaction.atomic
def disbursement_recover(*, actor: User, claim_id: int, amount: Decimal, reason: str) -> Recovery:
    """追缴 (§三(三)): reclaim an improper payment; the money goes back to the funds it came
    from, the last-drawn source first."""
    require(actor, "fund.manage")
    claim = _locked_claim(actor, claim_id)
    d = Disbursement.objects.filter(claim=claim).first()
    if d is None:
        raise workflow.TransitionRefused("该申领尚未拨付，无需追缴")
    check_amount(amount)
    amount = cents(amount)
    if not reason.strip():
        raise ValidationError("须说明追缴事由", detail={"field": "reason"})
    # the reason is also written on each fund entry (200 characters)
    check_text(reason, field="reason", label="追缴事由", max_length=200, multiline=True)
    if amount <= 0 or amount > d.amount - d.recovered:
        raise ValidationError(
            f"追缴金额须大于0且不超过未追缴的{d.amount - d.recovered}元", detail={"field": "amount"}
        )
    parts = list(d.parts.select_related("fund").order_by("-id"))
    list(Fund.objects.select_for_update().filter(pk__in=[p.fund_id for p in parts]).order_by("pk"))
    returned = {
        r["fund_id"]: r["amount"]
        for r in FundEntry.objects.filter(claim=claim, kind=FundEntry.Kind.RECOVERY)
        .values("fund_id")
        .annotate(amount=Sum("amount"))
    }
    left, today = amount, clock.today()
    rec = Recovery.objects.create(
        disbursement=d, amount=amount, reason=reason, on=today, actor=actor
    )
    for p in parts:
        room = p.amount - returned.get(p.fund_id, ZERO)
        back = min(room, left)
        if back <= 0:
            continue
        Fund.objects.filter(pk=p.fund_id).update(balance=F("balance") + back)
        FundEntry.objects.create(
            fund_id=p.fund_id,
            kind=FundEntry.Kind.RECOVERY,
            amount=back,
            claim=claim,
            reason=reason,
            actor=actor,
            on=today,
            at=clock.now(),
        )
        left -= back
    d.recovered += amount
    d.save(update_fields=["recovered"])
    audit.record(
        actor=actor,
        action="claim.recover",
        obj=claim,
        after={"amount": str(amount), "recovered": str(d.recovered)},
        reason=reason,
    )
    return rec


# ----------------------------------------------------------------------------- vouchers


def _move(voucher: Voucher, name: str, *, actor: User | None, reason: str = "") -> None:
    """A voucher's status changes only through its declared transitions (``workflow.VOUCHERS``)."""
    voucher.save()  # fields set with the move (class, certificate, amount) go in with it
    workflow.VOUCHERS.fire(voucher, name, actor=actor, reason=reason)


@transaction.atomic
def voucher_issue(*, actor: User, person_id: int, expires_on: dt.date) -> Voucher:
    """Issue a voucher to a person by real name (one in hand at a time)."""
    require(actor, "voucher.issue")
    person = access_by_id(actor, Person.objects.all(), person_id)
    today = clock.today()
    if expires_on <= today:
        raise ValidationError("有效期须晚于发放日期", detail={"field": "expires_on"})
    if Voucher.objects.filter(
        person=person, status__in=[VoucherStatus.ISSUED, VoucherStatus.BOUND]
    ).exists():
        raise VoucherRefused(
            "该劳动者已持有未使用的电子培训券", message_en="the person already holds a voucher"
        )
    # Unique without a global counter: one open voucher per person (a DB constraint), so the
    # person's id and how many he has had name it.
    n = Voucher.objects.filter(person=person).count() + 1
    v = Voucher.objects.create(
        number=f"PDS{today:%Y}{person.county.code}{person.pk:08d}{n:02d}",
        person=person,
        county=person.county,
        issued_on=today,
        expires_on=expires_on,
    )
    VoucherEvent.objects.create(
        voucher=v, name="issue", to_status=v.status, actor=actor, at=clock.now()
    )
    audit.record(actor=actor, action="voucher.issue", obj=v, after={"person": person.id_masked})
    return v


BINDABLE = frozenset(
    {
        ClassStatus.DRAFT,
        ClassStatus.SUBMITTED,
        ClassStatus.INDUSTRY_FIRST,
        ClassStatus.HR_REVIEW,
        ClassStatus.HR_FIRST,
        ClassStatus.RETURNED,
        ClassStatus.APPROVED,
        ClassStatus.IN_TRAINING,
    }
)


@transaction.atomic
def voucher_bind(*, actor: User, number: str, class_id: int, person_id: int) -> Voucher:
    """At enrolment the institution binds the trainee's own voucher to the class. A voucher
    presented for anyone else is refused: it is real-name and not transferable (§20(5))."""
    require(actor, "voucher.bind")
    check_text(number, field="number", label="券号", max_length=30)
    training_class = access_by_id(actor, TrainingClass.objects.all(), class_id)
    if actor.role != Role.INSTITUTION or training_class.institution_id != actor.institution_id:
        raise PermissionDenied("只有开班机构可以绑定培训券")
    if training_class.status not in BINDABLE:
        raise VoucherRefused(
            f"“{training_class.get_status_display()}”状态的培训班不能绑定培训券（须在报名时绑定）"
        )
    if not Enrolment.objects.filter(training_class=training_class, person_id=person_id).exists():
        raise ValidationError("该学员不在本班名册中", detail={"field": "person_id"})
    v = Voucher.objects.select_for_update().filter(number=number.strip()).first()
    if v is None:
        raise NotFound("培训券不存在", message_en="no such voucher")
    if v.person_id != person_id:
        raise VoucherRefused(
            "电子培训券实名制、不得转让：此券不属于该学员",
            message_en="vouchers are real-name and not transferable",
            code="voucher_not_transferable",
            detail={"voucher": v.number},
        )
    if v.status != VoucherStatus.ISSUED:
        raise VoucherRefused(f"培训券状态为“{v.get_status_display()}”，不能绑定")
    if v.expires_on < clock.today():  # the daily sweep voids it (``vouchers_sweep``)
        raise VoucherRefused(f"培训券已于{v.expires_on}过有效期", code="voucher_expired")
    v.training_class, v.institution = training_class, training_class.institution
    _move(v, "bind", actor=actor, reason=f"绑定 {training_class.batch}")
    return v


@transaction.atomic
def vouchers_settle(*, training_class: TrainingClass, actor: User | None = None) -> int:
    """After the assessment: a bound voucher is redeemed at the standard amount when its
    holder's certificate of the class is recorded, and void otherwise (无证无价)."""
    if training_class.status != ClassStatus.ASSESSED:
        return 0
    bound = list(
        Voucher.objects.select_for_update().filter(
            training_class=training_class, status=VoucherStatus.BOUND
        )
    )
    if not bound:
        return 0
    certs: dict[int, Certificate] = {}
    for c in Certificate.objects.filter(
        training_class=training_class, person_id__in=[v.person_id for v in bound]
    ):
        certs.setdefault(c.person_id, c)
    standard = standards.standard_at(
        clock.today(), city_id=training_class.institution.county.city_id
    )
    for v in bound:
        held = certs.get(v.person_id)
        apprenticeship = training_class.mode == Mode.APPRENTICESHIP
        key = (
            standards.key_for(held.kind, held.skill_level, apprenticeship=apprenticeship)
            if held
            else None
        )
        amount = standard.amount(key) if key else None
        if held is None or key is None or amount is None:
            _move(v, "void", actor=actor, reason="结业未取得证书：无证无价")
            continue
        v.certificate, v.standard_key, v.amount = held, key, cents(amount)
        _move(v, "redeem", actor=actor, reason=f"以证换券 {held.number}")
    return len(bound)


ENDED_WITHOUT_ASSESSMENT = (ClassStatus.REJECTED, ClassStatus.WITHDRAWN)


@transaction.atomic
def vouchers_sweep(*, on: dt.date | None = None) -> int:
    """Close the loop (run daily): issued vouchers past their date and vouchers bound to a
    class that ended without an assessment become void; bound vouchers of assessed classes
    are settled (redeemed or void)."""
    day = on or clock.today()
    n = 0
    for v in Voucher.objects.select_for_update().filter(
        status=VoucherStatus.ISSUED, expires_on__lt=day
    ):
        _move(v, "expire", actor=None, reason=f"{v.expires_on}到期未使用")
        n += 1
    for v in Voucher.objects.select_for_update().filter(
        status=VoucherStatus.BOUND, training_class__status__in=ENDED_WITHOUT_ASSESSMENT
    ):
        _move(v, "void", actor=None, reason="培训班未完成结业考核")
        n += 1
    for training_class in TrainingClass.objects.filter(
        status=ClassStatus.ASSESSED, vouchers__status=VoucherStatus.BOUND
    ).distinct():
        n += vouchers_settle(training_class=training_class)
    return n
