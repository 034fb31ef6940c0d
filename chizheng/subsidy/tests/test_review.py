"""The review chain of 附件2 with §21's working-day limits: first and second reviewer per
level, different people; overdue steps flagged."""

from __future__ import annotations

import datetime as dt

import pytest

from chizheng.core import clock
from chizheng.core.errors import PermissionDenied
from chizheng.subsidy import selectors, services
from chizheng.subsidy.models import ClaimReview, ClaimStatus

from .flow import CLOSE_DAY, NOTICE_FROM, NOTICE_LAST, approved, on_notice, seen, submitted

pytestmark = pytest.mark.django_db


def test_industry_review_is_due_ten_working_days_after_acceptance(money) -> None:
    claim = submitted(money)
    r = claim.reviews.get()
    assert (r.level, r.step, r.accepted_on) == ("industry", "first", dt.date(2022, 6, 28))
    assert r.due_on == dt.date(2022, 7, 12)  # 10 working days, start day not counted


def test_the_second_review_is_by_another_person(money) -> None:
    claim = submitted(money)
    with clock.freeze(dt.date(2022, 6, 29)):
        services.claim_review(
            actor=money.w.industry_a, claim_id=claim.pk, seen=seen(claim), decision="approve"
        )
        with pytest.raises(PermissionDenied) as e:
            services.claim_review(
                actor=money.w.industry_a, claim_id=claim.pk, seen=seen(claim), decision="approve"
            )
    assert e.value.code == "same_reviewer"


def test_another_department_cannot_review(money) -> None:
    from chizheng.core.errors import NotFound

    claim = submitted(money)
    with clock.freeze(dt.date(2022, 6, 29)), pytest.raises(NotFound):
        services.claim_review(
            actor=money.other_department, claim_id=claim.pk, seen=seen(claim), decision="approve"
        )


def test_industry_approval_puts_the_claim_on_public_notice(money) -> None:
    claim = on_notice(money)
    assert claim.status == ClaimStatus.ON_NOTICE
    assert claim.notice_from == NOTICE_FROM and claim.notice_earliest_end == NOTICE_LAST


def test_the_whole_chain_to_approval_within_the_limits(money) -> None:
    claim = approved(money)
    assert claim.status == ClaimStatus.APPROVED
    levels = [(r.level, r.step, r.reviewer_id is not None) for r in claim.reviews.order_by("id")]
    assert levels == [
        (lv, st, True) for lv in ("industry", "hr", "finance") for st in ("first", "second")
    ]
    hr = claim.reviews.get(level="hr", step="first")
    assert hr.accepted_on == CLOSE_DAY
    with clock.freeze(dt.date(2022, 7, 11)):
        page = selectors.claim_page(actor=money.office, claim_id=claim.pk)
    assert page["deadlines"].ok, page["deadlines"].as_dict()
    assert not page["overdue"]
    codes = {d.rule for d in page["deadlines"].decisions}
    assert {"claim.industry_review", "claim.public_notice", "claim.hr_review"} <= codes


def test_an_overdue_step_is_flagged(money) -> None:
    claim = submitted(money)
    with clock.freeze(dt.date(2022, 7, 13)):
        page = selectors.claim_page(actor=money.office, claim_id=claim.pk)
        overdue = list(selectors.claim_list(actor=money.office, overdue=True))
    assert [r.level for r in page["overdue"]] == [ClaimReview.Level.INDUSTRY]
    assert not page["deadlines"].ok
    assert [c.pk for c in overdue] == [claim.pk] and overdue[0].overdue_steps == 1  # type: ignore[attr-defined]


def test_a_return_needs_a_reason_and_the_institution_resubmits(money) -> None:
    from chizheng.core.errors import ValidationError

    claim = submitted(money)
    with clock.freeze(dt.date(2022, 6, 29)):
        with pytest.raises(ValidationError):
            services.claim_review(
                actor=money.w.industry_a, claim_id=claim.pk, seen=seen(claim), decision="return"
            )
        services.claim_review(
            actor=money.w.industry_a,
            claim_id=claim.pk,
            seen=seen(claim),
            decision="return",
            opinion="补充名册",
        )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RETURNED
    with clock.freeze(dt.date(2022, 6, 30)):
        services.claim_calculate(actor=money.w.applicant, class_id=money.training_class.pk)
        services.claim_submit(
            actor=money.w.applicant,
            claim_id=claim.pk,
            applicant_name="张校长",
            commitment=services.COMMITMENT,
        )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED and claim.accepted_on == dt.date(2022, 6, 30)
    assert [t.name for t in claim.transitions.all()] == ["submit", "return", "submit"]


def test_after_a_return_the_form_shows_the_new_round(money) -> None:
    claim = submitted(money)
    with clock.freeze(dt.date(2022, 6, 29)):
        services.claim_review(
            actor=money.w.industry_a, claim_id=claim.pk, seen=seen(claim), decision="approve"
        )
        services.claim_review(
            actor=money.w.industry_b,
            claim_id=claim.pk,
            seen=seen(claim),
            decision="return",
            opinion="补充材料",
        )
    with clock.freeze(dt.date(2022, 7, 4)):
        services.claim_submit(
            actor=money.w.applicant,
            claim_id=claim.pk,
            applicant_name="张校长",
            commitment=services.COMMITMENT,
        )
        page = selectors.claim_page(actor=money.office, claim_id=claim.pk)
    _label, first, second = page["form"].steps[0]
    assert first.accepted_on == dt.date(2022, 7, 4) and first.done_on is None and second is None
    assert page["deadlines"].ok


def test_nobody_reviews_his_own_institutions_claim(money, make_user) -> None:
    from chizheng.accounts.models import Role

    claim = submitted(money)
    # A reviewer of the claim's industry department who belongs to the claiming institution
    # (an enterprise's training centre under its department): the same refusal as for its
    # class application.
    insider = make_user(Role.INDUSTRY, department=claim.department, institution=money.w.institution)
    with clock.freeze(dt.date(2022, 6, 29)):
        for actor in (insider, money.w.applicant):
            with pytest.raises(PermissionDenied, match="不能审核本机构的申领"):
                services.claim_review(
                    actor=actor, claim_id=claim.pk, seen=seen(claim), decision="approve"
                )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.reviews.get().done_on is None
