"""Two levels of review, each by two different people, with working-day deadlines."""

import datetime as dt

import pytest

from chizheng.core.errors import NotFound, PermissionDenied, ValidationError
from chizheng.training import selectors, services
from chizheng.training.models import Review, Status
from chizheng.training.workflow import TransitionRefused

from .conftest import seen

pytestmark = pytest.mark.django_db


def submitted(world):
    training_class = world.apply()
    services.class_submit(actor=world.applicant, class_id=training_class.pk)
    return training_class


def test_four_steps_by_four_people_approve_the_class(world) -> None:
    training_class = submitted(world)
    expected = [Status.INDUSTRY_FIRST, Status.HR_REVIEW, Status.HR_FIRST, Status.APPROVED]
    for user, status in zip(
        (world.industry_a, world.industry_b, world.hr_a, world.hr_b), expected, strict=True
    ):
        services.class_review(
            actor=user,
            class_id=training_class.pk,
            seen=seen(training_class),
            decision="approve",
            opinion="同意",
        )
        training_class.refresh_from_db()
        assert training_class.status == status
    reviewers = list(training_class.reviews.order_by("id").values_list("reviewer_id", flat=True))
    assert reviewers == [world.industry_a.pk, world.industry_b.pk, world.hr_a.pk, world.hr_b.pk]
    names = list(training_class.transitions.values_list("name", flat=True))
    assert names == ["submit", "industry_first", "industry_second", "hr_first", "hr_second"]


def test_the_first_reviewer_cannot_do_the_second_review(world) -> None:
    training_class = submitted(world)
    services.class_review(
        actor=world.industry_a,
        class_id=training_class.pk,
        seen=seen(training_class),
        decision="approve",
    )
    with pytest.raises(PermissionDenied, match="复核须由初审人以外的人员进行") as e:
        services.class_review(
            actor=world.industry_a,
            class_id=training_class.pk,
            seen=seen(training_class),
            decision="approve",
        )
    assert e.value.code == "same_reviewer"
    # nor does the step show on his queue
    assert selectors.review_queue(actor=world.industry_a, today=dt.date(2022, 5, 20)) == []
    assert len(selectors.review_queue(actor=world.industry_b, today=dt.date(2022, 5, 20))) == 1


def test_the_wrong_level_or_department_cannot_review(world, make_user) -> None:
    from chizheng.accounts.models import Role
    from chizheng.org.models import County, Department

    training_class = submitted(world)
    with pytest.raises(PermissionDenied):
        services.class_review(
            actor=world.hr_a,
            class_id=training_class.pk,
            seen=seen(training_class),
            decision="approve",
        )
    commerce = make_user(Role.INDUSTRY, department=Department.objects.get(code="commerce"))
    with pytest.raises(NotFound):
        services.class_review(
            actor=commerce,
            class_id=training_class.pk,
            seen=seen(training_class),
            decision="approve",
        )
    ruzhou = make_user(Role.COUNTY_HR, county=County.objects.get(code="410482"))
    with pytest.raises(NotFound):
        services.class_review(
            actor=ruzhou, class_id=training_class.pk, seen=seen(training_class), decision="approve"
        )


def test_nobody_reviews_his_own_institutions_application(world) -> None:
    training_class = submitted(world)
    with pytest.raises(PermissionDenied, match="不能审核本机构的申请"):
        services.class_review(
            actor=world.applicant,
            class_id=training_class.pk,
            seen=seen(training_class),
            decision="approve",
        )


def test_a_returned_application_keeps_its_history_and_can_be_resubmitted(world) -> None:
    training_class = submitted(world)
    with pytest.raises(ValidationError, match="须填写理由"):
        services.class_review(
            actor=world.industry_a,
            class_id=training_class.pk,
            seen=seen(training_class),
            decision="return",
        )
    services.class_review(
        actor=world.industry_a,
        class_id=training_class.pk,
        seen=seen(training_class),
        decision="return",
        opinion="名册不全",
    )
    training_class.refresh_from_db()
    assert training_class.status == Status.RETURNED
    services.class_update(actor=world.applicant, class_id=training_class.pk, planned_count=28)
    services.class_submit(actor=world.applicant, class_id=training_class.pk)
    training_class.refresh_from_db()
    history = [(t.name, t.reason) for t in selectors.history(training_class=training_class)]
    assert history == [("submit", ""), ("return", "名册不全"), ("submit", "")]
    assert training_class.reviews.count() == 2
    assert training_class.reviews.order_by("id").first().opinion == "名册不全"


def test_reject_ends_the_application(world) -> None:
    training_class = submitted(world)
    services.class_review(
        actor=world.industry_a,
        class_id=training_class.pk,
        seen=seen(training_class),
        decision="reject",
        opinion="不在目录",
    )
    training_class.refresh_from_db()
    assert training_class.status == Status.REJECTED
    with pytest.raises(TransitionRefused):
        services.class_review(
            actor=world.industry_b,
            class_id=training_class.pk,
            seen=seen(training_class),
            decision="approve",
        )


def test_a_step_past_its_deadline_is_flagged(world, today) -> None:
    training_class = submitted(world)
    review = training_class.reviews.get()
    on_time = selectors.review_queue(actor=world.industry_a, today=review.due_on)
    late = selectors.review_queue(
        actor=world.industry_a, today=review.due_on + dt.timedelta(days=1)
    )
    assert [i.overdue for i in on_time] == [False]
    assert [i.overdue for i in late] == [True]
    office = world.hr_a
    assert list(
        selectors.overdue_reviews(actor=office, today=review.due_on + dt.timedelta(days=1))
    ) == [review]
    assert list(selectors.overdue_reviews(actor=office, today=review.due_on)) == []


def test_the_hr_deadline_counts_from_its_own_acceptance(world, today) -> None:
    training_class = submitted(world)
    today(dt.date(2022, 5, 27))
    services.class_review(
        actor=world.industry_a,
        class_id=training_class.pk,
        seen=seen(training_class),
        decision="approve",
    )
    services.class_review(
        actor=world.industry_b,
        class_id=training_class.pk,
        seen=seen(training_class),
        decision="approve",
    )
    hr = training_class.reviews.get(level=Review.Level.HR)
    # 15 working days after Friday 2022-05-27, skipping 端午 (06-03).
    assert hr.accepted_on == dt.date(2022, 5, 27) and hr.due_on == dt.date(2022, 6, 20)
