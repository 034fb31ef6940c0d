"""Electronic training vouchers (§20(5)): 实名制、不得转让、以证换券、无证无价, a closed loop.

- issue (已发放): to a person by real name, valid for the policy's months at most;
- bind (已绑定培训班): by the institution at enrolment, for the holder's own roster line;
- after the class's assessment, certify (已取证，待兑付) when the holder's certificate of the
  class is recorded, else void (无证无价) — at the claim's calculation or the daily sweep;
- redeem (已兑付): when the claim line it pays for is paid, in the disbursement's
  transaction, at the line's amount (以证换券); forfeit (作废) when that line is not paid, or
  the claim is rejected;
- expire (作废): unbound past its date (the daily sweep);
- lapse (作废): certified, and its class's claim not submitted within
  ``vouchers.claim_working_days`` working days of the certificate (the daily sweep).

Every step is a ``VoucherEvent`` (what the holder sees on his voucher page) and an audit
event. Lock order: a claim's service locks the claim, then the funds, then the class's
vouchers (``_open_of_class``), before its first audit event takes the chain head.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet

from chizheng.accounts.access import access_by_id, require
from chizheng.accounts.models import User
from chizheng.assessment.models import Certificate
from chizheng.core import audit, calendar, clock
from chizheng.core.errors import DomainError, NotFound, ValidationError
from chizheng.core.inputs import check_text
from chizheng.registry.models import Person
from chizheng.rules import params
from chizheng.rules.decision import add_months
from chizheng.training.models import Enrolment, TrainingClass
from chizheng.training.models import Status as ClassStatus

from .. import workflow
from ..models import (
    ApplicantKind,
    Claim,
    ClaimLine,
    ClaimStatus,
    Voucher,
    VoucherEvent,
    VoucherStatus,
)
from ..voucher_selectors import claim_deadline


class VoucherRefused(DomainError):
    code = "voucher_refused"
    http_status = 409


REASON_MAX = VoucherEvent._meta.get_field("reason").max_length or 200


def _move(voucher: Voucher, name: str, *, actor: User | None, reason: str = "") -> None:
    """A voucher's status changes only through its declared transitions (``workflow.VOUCHERS``)."""
    voucher.save()  # fields set with the move (class, certificate, amount) go in with it
    if len(reason) > REASON_MAX:  # a claim line's reason quoted whole may run long
        reason = reason[: REASON_MAX - 1] + "…"
    workflow.VOUCHERS.fire(voucher, name, actor=actor, reason=reason)


def latest_expiry(issued_on: dt.date) -> dt.date:
    """The last day a voucher issued on ``issued_on`` may be valid (policy
    ``vouchers.validity_months``, from the day it is issued)."""
    months = params.current().value("vouchers.validity_months", issued_on)
    return add_months(issued_on, months) - dt.timedelta(days=1)


@transaction.atomic
def voucher_issue(*, actor: User, person_id: int, expires_on: dt.date | None = None) -> Voucher:
    """Issue a voucher to a person by real name (one in hand at a time), valid until
    ``expires_on`` — by default, and at most, the policy's months from today."""
    require(actor, "voucher.issue")
    person = access_by_id(actor, Person.objects.all(), person_id)
    today = clock.today()
    latest = latest_expiry(today)
    expires_on = expires_on or latest
    if expires_on <= today:
        raise ValidationError("有效期须晚于发放日期", detail={"field": "expires_on"})
    if expires_on > latest:
        months = params.current().value("vouchers.validity_months", today)
        raise ValidationError(
            f"培训券有效期自发放之日起最长 {months} 个月（至 {latest}）",
            message_en=f"a voucher is valid for {months} months at most (until {latest})",
            detail={"field": "expires_on", "latest": latest.isoformat()},
        )
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
        voucher=v,
        name="issue",
        to_status=v.status,
        actor=actor,
        reason=f"有效期至 {expires_on}",
        at=clock.now(),
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
    """At enrolment the institution binds the trainee's own voucher to the class, for his
    roster line. A voucher presented for anyone else is refused: it is real-name and not
    transferable (§20(5)); so is one that runs out before the class begins."""
    require(actor, "voucher.bind")
    check_text(number, field="number", label="券号", max_length=30)
    training_class = access_by_id(actor, TrainingClass.objects.all(), class_id)
    require(actor, "voucher.bind", training_class, message="只有开班机构可以绑定培训券")
    if training_class.status not in BINDABLE:
        raise VoucherRefused(
            f"“{training_class.get_status_display()}”状态的培训班不能绑定培训券（须在报名时绑定）"
        )
    enrolment = Enrolment.objects.filter(training_class=training_class, person_id=person_id).first()
    if enrolment is None:
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
    if v.expires_on < training_class.start_date:
        raise VoucherRefused(
            f"培训券有效期至{v.expires_on}，早于本班开班日期{training_class.start_date}，"
            "不能用于本班",
            message_en="the voucher expires before the class begins",
            code="voucher_expired",
        )
    v.training_class, v.institution = training_class, training_class.institution
    v.enrolment = enrolment
    _move(v, "bind", actor=actor, reason=f"绑定培训班 {training_class.batch}")
    return v


@transaction.atomic
def vouchers_settle(*, training_class: TrainingClass, actor: User | None = None) -> int:
    """After the assessment: a bound voucher is certified (已取证，待兑付) when its holder's
    certificate of the class is recorded, and void otherwise (无证无价). It is redeemed only
    when the claim line it pays for is paid (``vouchers_redeem``)."""
    if training_class.status != ClassStatus.ASSESSED:
        return 0
    bound = list(
        Voucher.objects.select_for_update()
        .filter(training_class=training_class, status=VoucherStatus.BOUND)
        .order_by("pk")
    )
    if not bound:
        return 0
    holders = [v.person_id for v in bound]
    certs: dict[int, Certificate] = {}
    for c in Certificate.objects.filter(
        training_class=training_class, person_id__in=holders
    ).order_by("issued_on", "id"):
        certs.setdefault(c.person_id, c)
    enrolled = set(
        Enrolment.objects.filter(training_class=training_class, person_id__in=holders).values_list(
            "person_id", flat=True
        )
    )
    for v in bound:
        held = certs.get(v.person_id)
        if v.person_id not in enrolled:
            _move(v, "void", actor=actor, reason="持券人不在本班名册：无证无价")
        elif held is None:
            _move(v, "void", actor=actor, reason="结业未取得本班证书：无证无价")
        else:
            v.certificate = held
            _move(
                v,
                "certify",
                actor=actor,
                reason=f"取得证书 {held.number}，本班补贴拨付时兑付",
            )
    return len(bound)


def _open_of_class(training_class_id: int) -> list[Voucher]:
    """The class's bound and certified vouchers, row-locked in primary-key order."""
    return list(
        Voucher.objects.select_for_update()
        .filter(
            training_class_id=training_class_id,
            status__in=[VoucherStatus.BOUND, VoucherStatus.CERTIFIED],
        )
        .order_by("pk")
    )


def _pays(v: Voucher, lines: list[ClaimLine], presented_for: int) -> ClaimLine | None:
    """The paid line the voucher pays for: the one that names it — or, on a claim calculated
    before its lines named their voucher, the holder's own payable line."""
    for x in lines:
        if x.voucher_id == v.pk:
            return x if x.payable else None
    for x in lines:
        if x.person_id == presented_for == v.person_id and x.payable and x.voucher_id is None:
            return x
    return None


def vouchers_redeem(*, claim: Claim, actor: User) -> int:
    """以证换券 at payment, in the disbursement's transaction (the caller holds the claim and
    the funds): each certified voucher of the class is redeemed at the amount of the paid
    line it pays for, or void when its line is not paid. Only a claim being paid reaches
    here, and a claim is paid once, so a voucher is redeemed once. A person's own claim
    (个人申请) redeems none: it is refused to a trainee whose voucher paid for the class."""
    if claim.applicant_kind != ApplicantKind.INSTITUTION or claim.training_class is None:
        return 0
    if not _open_of_class(claim.training_class.pk):  # locked before any audit event
        return 0
    vouchers_settle(training_class=claim.training_class)  # none left bound after it
    vouchers = _open_of_class(claim.training_class.pk)
    lines = list(claim.lines.order_by("pk"))
    for_person = dict(
        Enrolment.objects.filter(
            pk__in=[v.enrolment_id for v in vouchers if v.enrolment_id]
        ).values_list("pk", "person_id")
    )
    batch = claim.training_class.batch
    for v in vouchers:
        presented_for = for_person.get(v.enrolment_id or 0, v.person_id)
        line = _pays(v, lines, presented_for)
        if line is not None:
            if line.voucher_id is None:
                ClaimLine.objects.filter(pk=line.pk).update(voucher=v)
            v.amount, v.standard_key = line.amount, line.standard_key
            v.certificate_id = line.certificate_id or v.certificate_id
            _move(
                v,
                "redeem",
                actor=actor,
                reason=f"补贴申领 {claim.pk}（{batch}）拨付：以证换券 {line.amount} 元",
            )
            continue
        own = next((x for x in lines if x.person_id == presented_for), None)
        why = (own.reason if own is not None else "") or "本券未列入补贴明细"
        _move(
            v,
            "forfeit",
            actor=actor,
            reason=f"补贴申领 {claim.pk}（{batch}）拨付，本券未获补贴：{why}",
        )
    return len(vouchers)


def vouchers_of_rejected(*, claim: Claim) -> list[Voucher]:
    """Lock the class's open vouchers before a rejection is recorded (lock order); a
    person's own claim has none of its own."""
    if claim.applicant_kind != ApplicantKind.INSTITUTION or claim.training_class_id is None:
        return []
    return _open_of_class(claim.training_class_id)


def vouchers_release(*, claim: Claim, vouchers: list[Voucher]) -> None:
    """The claim is rejected (不予补贴, final): its class's vouchers are void (the system
    acts: a consequence of the review)."""
    reason = f"补贴申领 {claim.pk}（{claim.title}）不予补贴"
    for v in vouchers:
        _move(
            v, "void" if v.status == VoucherStatus.BOUND else "forfeit", actor=None, reason=reason
        )


ENDED_WITHOUT_ASSESSMENT = (ClassStatus.REJECTED, ClassStatus.WITHDRAWN)
# A class's claim that came: submitted, in review, returned for correction, approved or paid.
# Calculated only (a draft) it has not; rejected, its vouchers are void already.
NOT_COME = (ClaimStatus.CALCULATED, ClaimStatus.REJECTED)


def _claimed_classes() -> QuerySet[Claim, int]:
    return (
        Claim.objects.filter(
            applicant_kind=ApplicantKind.INSTITUTION, training_class__isnull=False
        )  # no NULL in a NOT IN
        .exclude(status__in=NOT_COME)
        .values_list("training_class_id", flat=True)
    )


def _lapse(day: dt.date) -> int:
    """Certified vouchers whose class's claim did not come by their deadline: void, with the
    deadline in the reason. Set-based: one read of the open ones, one deadline per
    certificate date, one locked read of those past it (re-checked under the lock, so a
    claim submitted meanwhile keeps its vouchers)."""
    rows = (
        Voucher.objects.filter(status=VoucherStatus.CERTIFIED, certificate__isnull=False)
        .exclude(training_class_id__in=_claimed_classes())
        .values_list("pk", "certificate__issued_on")
    )
    cal = calendar.calendar()
    deadlines: dict[dt.date, dt.date] = {}
    due: dict[int, dt.date] = {}
    for pk, issued_on in rows:
        if issued_on not in deadlines:
            # None: it runs into a year whose holidays are not arranged, after today
            deadlines[issued_on] = claim_deadline(issued_on, cal=cal).on or dt.date.max
        if deadlines[issued_on] < day:
            due[pk] = deadlines[issued_on]
    if not due:
        return 0
    locked = list(
        Voucher.objects.select_for_update()
        .filter(pk__in=list(due), status=VoucherStatus.CERTIFIED)
        .exclude(training_class_id__in=_claimed_classes())
        .order_by("pk")
    )
    for v in locked:
        _move(
            v,
            "lapse",
            actor=None,
            reason=f"取得证书后本班未在期限内（至{due[v.pk]}）申领补贴，逾期作废",
        )
    return len(locked)


@transaction.atomic
def vouchers_sweep(*, on: dt.date | None = None) -> int:
    """Close the loop (run daily): issued vouchers past their date and vouchers bound to a
    class that ended without an assessment become void; bound vouchers of assessed classes
    are settled (certified or void); certified vouchers whose class's claim was not
    submitted by their deadline (``claim_deadline``) become void. Run twice, it moves
    nothing the second time."""
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
        status = v.training_class.get_status_display() if v.training_class else ""
        _move(v, "void", actor=None, reason=f"培训班{status}，未完成结业考核")
        n += 1
    for training_class in TrainingClass.objects.filter(
        status=ClassStatus.ASSESSED, vouchers__status=VoucherStatus.BOUND
    ).distinct():
        n += vouchers_settle(training_class=training_class)
    return n + _lapse(day)


def ensure_vouchers_open(*, claim: Claim) -> None:
    """Before a class's claim is submitted: every voucher its lines pay for is still open
    (certified or bound). One that went void since the calculation (its deadline passed)
    would be paid without being redeemed: the claim is recalculated first. Locks the
    class's open vouchers (the lock order: after the claim)."""
    if claim.applicant_kind != ApplicantKind.INSTITUTION or claim.training_class_id is None:
        return
    named = set(
        claim.lines.filter(payable=True, voucher__isnull=False).values_list("voucher", flat=True)
    )
    if not named:
        return
    gone = named - {v.pk for v in _open_of_class(claim.training_class_id)}
    if gone:
        raise VoucherRefused(
            f"测算后有 {len(gone)} 张培训券已作废（取得证书后逾期未申领），请重新测算后提交",
            message_en="a voucher the claim pays for went void since it was calculated",
            code="voucher_lapsed",
            detail={"vouchers": sorted(gone)},
        )
