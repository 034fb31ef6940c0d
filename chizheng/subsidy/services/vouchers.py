"""Electronic training vouchers (§20(5)): issued to a person by real name, bound by the
institution at enrolment (not transferable), redeemed at the standard amount for a
certificate or void without one (以证换券、无证无价), and the daily sweep that closes the loop.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from chizheng.accounts.access import access_by_id, require
from chizheng.accounts.models import User
from chizheng.assessment.models import Certificate
from chizheng.core import audit, clock
from chizheng.core.errors import DomainError, NotFound, ValidationError
from chizheng.core.inputs import check_text
from chizheng.registry.models import Person
from chizheng.training.models import Enrolment, Mode, TrainingClass
from chizheng.training.models import Status as ClassStatus

from .. import standards, workflow
from ..models import Voucher, VoucherEvent, VoucherStatus
from ..money import cents


class VoucherRefused(DomainError):
    code = "voucher_refused"
    http_status = 409


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
    require(actor, "voucher.bind", training_class, message="只有开班机构可以绑定培训券")
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
