"""Individual claims (附件2 备注2: 个人申请), through the services: a worker applies for his own
certificate with his bank account, the claim goes through the same chain to a payment to
him; refused when the certificate is not his, already paid (through his class or by
himself), the bank account is invalid, or a review level has nobody to review it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from chizheng.books import checks
from chizheng.core import clock, crypto
from chizheng.core.errors import NotFound, PermissionDenied, ValidationError
from chizheng.core.models import AuditEvent
from chizheng.subsidy import selectors, services, workflow
from chizheng.subsidy.models import Claim, ClaimLine, ClaimStatus, Fund, Voucher
from chizheng.subsidy.services import DuplicateSubsidy

from .conftest import CLAIM_DAY, fund
from .flow import calculated
from .individual import (
    ACCOUNT,
    ACCOUNT_DIGITS,
    BANK,
    MASKED,
    apply,
    outside_certificate,
    review,
    to_notice,
    to_paid,
    worker,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def solo(money, make_user):
    """A worker not on the class, with a certificate from training outside the system."""
    person = money.w.people[35]
    return worker(make_user, person), outside_certificate(money, person)


def test_a_person_applies_for_his_own_certificate(money, solo) -> None:
    user, cert = solo
    claim = apply(money, user, cert)
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.is_individual and claim.person_id == cert.person_id
    assert claim.institution_id is None and claim.training_class_id is None
    assert claim.trained_by_id == money.w.institution.pk
    # the person's county; the training institution's industry department
    assert claim.county_id == cert.person.county_id
    assert claim.department_id == money.w.institution.department_id
    assert (claim.persons, claim.amount) == (1, Decimal("1600.00"))
    assert claim.applicant_name == cert.person.name and claim.committed_on == CLAIM_DAY
    (line,) = claim.lines.all()
    assert (line.certificate_id, line.standard_key, line.counted) == (cert.pk, "level_4", True)
    assert claim.reviews.get().level == "industry"
    # the account: normalised, encrypted at rest, masked beside it
    claim.refresh_from_db()
    assert claim.bank_account == ACCOUNT_DIGITS and claim.bank_account_masked == MASKED
    assert claim.bank_account_index == crypto.blind_index(ACCOUNT_DIGITS)  # the scan compares it
    assert claim.bank_name == BANK
    with connection.cursor() as cur:
        cur.execute("SELECT bank_account FROM subsidy_claim WHERE id = %s", [claim.pk])
        stored = cur.fetchone()[0]
    assert stored.startswith("v1:") and ACCOUNT_DIGITS not in stored
    events = AuditEvent.objects.filter(object_id=str(claim.pk))
    assert events.exists()
    assert not any(ACCOUNT_DIGITS in str(e.after) + str(e.before) + e.reason for e in events)


def test_the_same_chain_public_notice_and_payment_to_him(money, solo) -> None:
    user, cert = solo
    fund(money, "skills_upgrade_account", "100000")
    claim = to_notice(money, apply(money, user, cert))
    assert claim.status == ClaimStatus.ON_NOTICE
    with clock.freeze(dt.date(2022, 7, 1)):
        (row,) = [r for r in selectors.public_notices() if r.claim_id == claim.pk]
        _, people = selectors.public_notice(claim_id=claim.pk)
    name = cert.person.name
    assert row.applicant == name[0] + "*" * (len(name) - 1) and name not in str(row)
    assert row.institution == money.w.institution.name and row.batch == ""
    assert people == [
        {
            "name": row.applicant,
            "id": cert.person.id_masked,
            "certificate": "职业技能等级证书",
            "amount": "1600.00",
        }
    ]
    claim = to_paid(money, claim)
    assert claim.status == ClaimStatus.PAID
    d = claim.disbursement
    assert (d.payee, d.payee_bank, d.payee_account_masked) == (name, BANK, MASKED)
    assert d.amount == Decimal("1600.00") and d.county_id == cert.person.county_id
    assert Fund.objects.get(source="skills_upgrade_account").balance == Decimal("98400.00")
    assert [t.name for t in claim.transitions.order_by("at", "id")] == [
        "submit",
        "industry_first",
        "industry_second",
        "notice_close",
        "hr_first",
        "hr_second",
        "finance_first",
        "finance_second",
        "disburse",
    ]
    for check in checks.CHECKS:
        result = check()
        assert result.ok, (result.code, result.broken)


def test_paid_through_his_class_he_cannot_apply_again(money, make_user) -> None:
    trainee = money.w.people[0]
    calculated(money)  # the institution claims for its class: his line is counted
    cert = trainee.certificates.get()
    with pytest.raises(DuplicateSubsidy, match="已由培训机构申领补贴"):
        apply(money, worker(make_user, trainee), cert)
    assert not Claim.objects.filter(applicant_kind="individual").exists()


def test_a_second_certificate_of_the_same_occupation_and_level_is_refused(money, make_user) -> None:
    trainee = money.w.people[1]
    calculated(money)
    second = outside_certificate(money, trainee, number="Y2022S0002")
    with pytest.raises(DuplicateSubsidy, match="同一职业（工种）同一等级只补贴一次"):
        apply(money, worker(make_user, trainee), second)


def test_applied_himself_first_his_class_pays_him_nothing(money, make_user) -> None:
    trainee = money.w.people[2]
    mine = apply(money, worker(make_user, trainee), trainee.certificates.get())
    assert mine.training_class_id == money.training_class.pk
    assert mine.trained_by_id == money.w.institution.pk and mine.amount == Decimal("1600.00")
    class_claim = calculated(money)
    line = class_claim.lines.get(person=trainee)
    assert (line.amount, line.payable, line.counted) == (Decimal("0.00"), False, False)
    assert f"申领 {mine.pk}" in line.reason and "不重复补贴" in line.reason
    assert class_claim.persons == 27 and class_claim.amount == Decimal("43200.00")
    # both claims live side by side: one institution claim of the class, one of his own
    assert Claim.objects.filter(training_class=money.training_class).count() == 2


def test_a_certificate_that_is_not_his(money, make_user, solo) -> None:
    _, cert = solo
    other = worker(make_user, money.w.people[36])
    with pytest.raises(NotFound, match="证书不存在或不是您本人的证书"):
        apply(money, other, cert)
    with pytest.raises(PermissionDenied):  # an institution does not apply for a person
        apply(money, money.w.applicant, cert)


@pytest.mark.parametrize(
    ("account", "message"),
    [
        ("6222-0212-3456-789A", "只能由数字组成"),
        ("62220212345", "应为12至32位数字（现为11位）"),
        ("6" * 33, "应为12至32位数字（现为33位）"),
        ("", "请填写银行帐号"),
    ],
)
def test_an_invalid_bank_account_is_refused(money, solo, account, message) -> None:
    user, cert = solo
    with pytest.raises(ValidationError, match=message) as e:
        apply(money, user, cert, bank_account=account)
    assert e.value.detail["field"] == "bank_account"
    assert account.replace("-", "") not in e.value.message or not account
    assert not Claim.objects.exists()


def test_the_bank_and_the_commitment_are_required(money, solo) -> None:
    user, cert = solo
    with pytest.raises(ValidationError, match="请填写开户银行名称"):
        apply(money, user, cert, bank_name="  ")
    with pytest.raises(ValidationError, match="须确认附件2的承诺内容"):
        apply(money, user, cert, commitment="我承诺")


def test_training_outside_the_system_names_a_catalog_institution(money, solo) -> None:
    user, cert = solo
    with pytest.raises(ValidationError, match="请选择培训机构"):
        apply(money, user, cert, training_institution_id=None)
    # the other school has no catalog entry for the occupation; the evaluator does not train
    for inst in (money.w.other_institution, money.w.evaluator):
        with pytest.raises(ValidationError, match="目录清单"):
            apply(money, user, cert, training_institution_id=inst.pk)


def test_no_reviewer_no_application(money, solo) -> None:
    user, cert = solo
    money.w.industry_b.is_active = False
    money.w.industry_b.save()
    with pytest.raises(ValidationError, match="可办理审核的在岗人员不足 2 人") as e:
        apply(money, user, cert)
    assert e.value.code == "no_reviewer"
    assert not Claim.objects.exists() and not ClaimLine.objects.exists()


def test_returned_he_corrects_and_resubmits(money, solo) -> None:
    user, cert = solo
    claim = apply(money, user, cert)
    review(money.w.industry_a, claim, dt.date(2022, 6, 29), decision="return")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RETURNED
    with pytest.raises(workflow.TransitionRefused, match="个人申领补贴"):
        services.claim_submit(
            actor=user, claim_id=claim.pk, applicant_name="x", commitment=services.COMMITMENT
        )
    with clock.freeze(dt.date(2022, 6, 30)):
        services.individual_claim_resubmit(
            actor=user,
            claim_id=claim.pk,
            bank_name="中国农业银行平顶山分行",
            bank_account="6228480012345678",
            commitment=services.COMMITMENT,
        )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED and claim.accepted_on == dt.date(2022, 6, 30)
    assert claim.bank_account_masked == "6228********5678" and claim.lines.get().counted
    assert claim.bank_account_index == crypto.blind_index("6228480012345678")
    with pytest.raises(workflow.TransitionRefused, match="退回修改后方可"):
        services.individual_claim_resubmit(
            actor=user,
            claim_id=claim.pk,
            bank_name=BANK,
            bank_account=ACCOUNT,
            commitment=services.COMMITMENT,
        )


def test_a_rejection_is_final_and_releases_the_line(money, solo) -> None:
    user, cert = solo
    claim = apply(money, user, cert)
    review(money.w.industry_a, claim, dt.date(2022, 6, 29), decision="reject")
    assert not ClaimLine.objects.get(claim=claim).counted
    with pytest.raises(DuplicateSubsidy, match="不予补贴") as e:
        apply(money, user, cert)
    assert e.value.code == "claim_rejected"


def test_twice_for_one_certificate_is_refused(money, solo) -> None:
    user, cert = solo
    first = apply(money, user, cert)
    with pytest.raises(DuplicateSubsidy, match=f"申领 {first.pk}") as e:
        apply(money, user, cert)
    assert e.value.code == "duplicate_subsidy"


@pytest.mark.parametrize("status", ["redeemed", "certified"])
def test_a_class_paid_by_voucher_is_not_claimed_again(money, make_user, status) -> None:
    """Redeemed with the class's claim, or certified and awaiting it (已取证，待兑付)."""
    trainee = money.w.people[3]
    Voucher.objects.create(
        number="PDS2022VOUCHER01",
        person=trainee,
        county=trainee.county,
        status=status,
        issued_on=dt.date(2022, 5, 1),
        expires_on=dt.date(2022, 12, 31),
        training_class=money.training_class,
        institution=money.w.institution,
    )
    with pytest.raises(DuplicateSubsidy, match="电子培训券") as e:
        apply(money, worker(make_user, trainee), trainee.certificates.get())
    assert e.value.code == "voucher_used"


def test_what_the_worker_sees_of_his_certificates(money, make_user) -> None:
    from chizheng.subsidy import individual_selectors as individual

    trainee = money.w.people[4]
    user = worker(make_user, trainee)
    outside = outside_certificate(money, trainee, number="Y2022S0004", level=3)
    (first, second) = individual.my_certificates(actor=user)
    assert first.certificate.pk == trainee.certificates.get(training_class__isnull=False).pk
    assert second.certificate.pk == outside.pk
    assert first.may_apply and second.may_apply
    mine = apply(money, user, outside)
    assert mine.amount == Decimal("2000.00")  # 高级工
    calculated(money)
    after = {s.certificate.pk: s for s in individual.my_certificates(actor=user)}
    assert after[outside.pk].claim_id == mine.pk and not after[outside.pk].may_apply
    assert "已由培训机构申领" in after[first.certificate.pk].note
    assert list(individual.my_claims(actor=user)) == [mine]
    for other in (money.w.applicant, make_user(role="worker", person=money.w.people[5])):
        assert not individual.my_claims(actor=other).exists()
