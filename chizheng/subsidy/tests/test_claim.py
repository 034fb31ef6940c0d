"""以证换券、无证无价: the claim's calculation, line by line, stored and recomputable."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from chizheng.core import clock
from chizheng.core.errors import PermissionDenied, ValidationError
from chizheng.subsidy import calculation, services
from chizheng.subsidy.models import ClaimStatus

from .conftest import CLAIM_DAY, assess
from .flow import calculated, seen, submitted

pytestmark = pytest.mark.django_db

# A second class for the same people: after the first's assessment (06-27) and the month of
# §20(3) — one person is on one subsidised class at a time.
LATER = dt.date(2022, 8, 1)  # a Monday
LATER_CLAIM_DAY = dt.date(2022, 8, 23)


def test_an_uncertified_trainee_is_paid_nothing(money) -> None:
    claim = calculated(money)
    lines = list(claim.lines.order_by("id"))
    assert len(lines) == 30
    unpaid = [x for x in lines if x.certificate_id is None]
    assert len(unpaid) == 2
    assert all(x.amount == Decimal("0.00") and not x.payable for x in unpaid)
    assert all("无证无价" in x.reason for x in unpaid)
    assert claim.persons == 28
    assert claim.amount == Decimal("44800.00")  # 28 × 1600 (中级工)
    assert claim.status == ClaimStatus.CALCULATED


def test_the_calculation_is_stored_with_its_inputs_and_policy(money) -> None:
    claim = calculated(money)
    assert claim.policy_fingerprint and claim.standard_fingerprint
    assert claim.calculation["inputs"]["standard"]["level_4"] == "1600"
    assert calculation.recompute(claim.calculation)
    tampered = dict(claim.calculation, result=dict(claim.calculation["result"], total="1.00"))
    assert not calculation.recompute(tampered)


def test_a_second_claim_for_the_same_class_is_refused(money) -> None:
    submitted(money)
    with clock.freeze(CLAIM_DAY), pytest.raises(services.DuplicateSubsidy):
        services.claim_calculate(actor=money.w.applicant, class_id=money.training_class.pk)


def test_a_second_subsidy_for_the_same_person_occupation_and_level_is_refused(money) -> None:
    first = submitted(money)
    # The same 30 people, same occupation and level, in a second class after the first.
    second = assess(money.w, batch="2022-切割-02", roster=money.w.people[:30], start=LATER)
    with clock.freeze(LATER_CLAIM_DAY):
        claim = services.claim_calculate(actor=money.w.applicant, class_id=second.pk)
    assert claim.amount == Decimal("0.00") and claim.persons == 0
    assert all("不重复补贴" in x.reason for x in claim.lines.exclude(certificate=None)), (
        f"claim {first.pk} holds them"
    )
    with clock.freeze(LATER_CLAIM_DAY), pytest.raises(ValidationError, match="以证换券"):
        services.claim_submit(
            actor=money.w.applicant,
            claim_id=claim.pk,
            applicant_name="张校长",
            commitment=services.COMMITMENT,
        )


def test_a_higher_level_for_the_same_person_is_a_new_subsidy(money) -> None:
    submitted(money)
    second = assess(money.w, batch="2022-切割-03", roster=money.w.people[:30], level=3, start=LATER)
    with clock.freeze(LATER_CLAIM_DAY):
        claim = services.claim_calculate(actor=money.w.applicant, class_id=second.pk)
    assert claim.amount == Decimal("56000.00")  # 28 × 2000 (高级工)


def test_a_rejection_is_final_for_the_class(money) -> None:
    claim = submitted(money)
    with clock.freeze(dt.date(2022, 6, 29)):
        services.claim_review(
            actor=money.w.industry_a,
            claim_id=claim.pk,
            seen=seen(claim),
            decision="reject",
            opinion="材料不实",
        )
    with (
        clock.freeze(CLAIM_DAY + dt.timedelta(days=3)),
        pytest.raises(services.DuplicateSubsidy, match="不予补贴") as refused,
    ):
        services.claim_calculate(actor=money.w.applicant, class_id=money.training_class.pk)
    assert refused.value.code == "claim_rejected"


def test_trained_count_caps_the_paid_persons(money) -> None:
    training_class = assess(
        money.w,
        batch="2022-切割-04",
        roster=money.w.people[10:40],
        inspections=(("opening", 30), ("during", 20), ("during", 21)),
        start=LATER,
    )
    with clock.freeze(LATER_CLAIM_DAY):
        claim = services.claim_calculate(actor=money.w.applicant, class_id=training_class.pk)
    assert claim.calculation["inputs"]["cap"] == 20  # mean 20.5 rounded down (§21)
    assert claim.persons == 20 and claim.amount == Decimal("32000.00")
    assert claim.lines.filter(reason__contains="超过培训人数").count() == 8


def test_the_commitment_must_be_the_text_of_annex_2(money) -> None:
    claim = calculated(money)
    with clock.freeze(CLAIM_DAY), pytest.raises(ValidationError):
        services.claim_submit(
            actor=money.w.applicant, claim_id=claim.pk, applicant_name="张校长", commitment="同意"
        )
    claim = submitted(money)
    assert claim.commitment == (
        "我郑重承诺对提供的各项材料和信息真实性负责，自觉接受社会监督。"
        "若有违反本承诺的行为，依法接受处理，并承担相应的责任。"
    )
    assert claim.applicant_name == "张校长" and claim.committed_on == CLAIM_DAY


def test_only_the_class_institution_claims(money) -> None:
    from chizheng.core.errors import NotFound

    with clock.freeze(CLAIM_DAY), pytest.raises((PermissionDenied, NotFound)):
        services.claim_calculate(actor=money.w.other_applicant, class_id=money.training_class.pk)


def test_a_blacklisted_institution_cannot_claim(money) -> None:
    from chizheng.registry.models import Sanction

    Sanction.objects.create(
        institution=money.w.institution,
        kind=Sanction.Kind.BLACKLIST,
        starts_on=dt.date(2022, 6, 1),
        reason="虚假培训",
        clause="§20(4)",
    )
    with clock.freeze(CLAIM_DAY), pytest.raises(Exception, match=r"黑名单|blacklist|不能"):
        services.claim_calculate(actor=money.w.applicant, class_id=money.training_class.pk)


def test_a_claim_is_not_submitted_when_finance_has_fewer_than_two_reviewers(money) -> None:
    from chizheng.accounts.reviewers import NoReviewer

    money.finance_b.is_active = False
    money.finance_b.save()
    claim = calculated(money)
    with clock.freeze(CLAIM_DAY), pytest.raises(NoReviewer, match="财政部门（现有 1 人）"):
        services.claim_submit(
            actor=money.w.applicant,
            claim_id=claim.pk,
            applicant_name="张校长",
            commitment=services.COMMITMENT,
        )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CALCULATED
