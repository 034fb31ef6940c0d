"""Applying for a class: the rules run on submission and the applicant sees every decision."""

import datetime as dt

import pytest

from chizheng.core.errors import NotFound, PermissionDenied, ValidationError
from chizheng.registry.models import Sanction
from chizheng.training import selectors, services
from chizheng.training.models import Review, Status

pytestmark = pytest.mark.django_db


def test_a_clean_application_is_submitted_to_the_industry_department(world) -> None:
    training_class = world.apply()
    report = services.class_submit(actor=world.applicant, class_id=training_class.pk)
    training_class.refresh_from_db()
    assert report.ok and training_class.status == Status.SUBMITTED
    assert {d["rule"] for d in training_class.decisions} >= {
        "class.max_size",
        "trainee.id_valid",
        "class.institution_catalog",
    }
    review = training_class.reviews.get()
    assert (review.level, review.step) == (Review.Level.INDUSTRY, Review.Step.FIRST)
    # 10 working days after 2022-05-20 (a Friday), skipping the weekends and 端午 (06-03).
    assert review.due_on == dt.date(2022, 6, 6)


def test_a_failing_rule_refuses_submission_and_keeps_every_decision(world) -> None:
    training_class = world.apply(planned_count=81, roster=world.people[:40])
    with pytest.raises(services.RulesFailed, match="81") as e:
        services.class_submit(actor=world.applicant, class_id=training_class.pk)
    training_class.refresh_from_db()
    assert training_class.status == Status.DRAFT
    failed = [d for d in training_class.decisions if d["outcome"] == "fail"]
    assert failed and failed[0]["clause"] == "§20(1)"
    assert any(d["rule"] == "class.max_size" for d in e.value.detail)


def test_a_suspended_institution_cannot_submit(world) -> None:
    Sanction.objects.create(
        institution=world.institution,
        kind="suspension",
        clause="§19",
        reason="满意度低于85%",
        starts_on=dt.date(2022, 5, 1),
        ends_on=dt.date(2022, 6, 1),
    )
    training_class = world.apply()
    with pytest.raises(Exception, match="停止开班整改"):
        services.class_submit(actor=world.applicant, class_id=training_class.pk)


def test_an_unknown_occupation_is_refused(world) -> None:
    with pytest.raises(Exception, match="9-99-99-99"):
        world.apply(occupation_code="9-99-99-99")


def test_bad_fields_are_named(world) -> None:
    with pytest.raises(ValidationError) as e:
        world.apply(practical_hours=90)
    assert e.value.detail[0]["field"] == "practical_hours"


def test_an_empty_roster_cannot_be_submitted(world) -> None:
    training_class = world.apply(roster=[])
    with pytest.raises(ValidationError, match="名册为空"):
        services.class_submit(actor=world.applicant, class_id=training_class.pk)


def test_roster_by_id_number_is_idempotent_and_reports_unknowns(world) -> None:
    from chizheng.core import ids

    training_class = world.apply(roster=[])
    stranger = ids.make("410402", dt.date(1999, 9, 9), 9)
    numbers = [world.people[0].id_number, world.people[1].id_number, stranger]
    first = services.roster_add(
        actor=world.applicant, class_id=training_class.pk, id_numbers=numbers
    )
    again = services.roster_add(
        actor=world.applicant, class_id=training_class.pk, id_numbers=numbers
    )
    assert (first.added, first.already, again.added, again.already) == (2, 0, 0, 2)
    assert first.unknown == [ids.mask(stranger)]
    with pytest.raises(ValidationError, match="无效的身份证号码"):
        services.roster_add(
            actor=world.applicant, class_id=training_class.pk, id_numbers=["410402199001010018"]
        )


def test_an_institution_cannot_see_another_institutions_classes(world) -> None:
    training_class = world.apply()
    assert list(selectors.class_list(actor=world.other_applicant)) == []
    with pytest.raises(NotFound):
        selectors.class_get(actor=world.other_applicant, class_id=training_class.pk)
    with pytest.raises(NotFound):
        services.class_submit(actor=world.other_applicant, class_id=training_class.pk)


def test_only_institutions_apply(world) -> None:
    with pytest.raises(PermissionDenied):
        services.class_create(actor=world.hr_a, occupation_code="6-18-02-05", batch="x")


def test_a_graduating_student_cannot_train_in_his_major(world) -> None:
    """§19; the graduation date comes from the policy (trainee.graduation_month)."""
    from chizheng.registry.models import Institution
    from chizheng.training.tests.conftest import occupation

    school = Institution.objects.create(
        name="平顶山技师学院",
        credit_code="91410402SCHOOL0001",
        kind="technical_school",
        county=world.institution.county,
    )
    student = world.people[0]
    student.school, student.major_occupation, student.graduation_year = school, occupation(), 2022
    student.save()
    training_class = world.apply()  # starts 2022-06-06, within the 12 months before 2022-07-01
    with pytest.raises(services.RulesFailed, match="毕业学年"):
        services.class_submit(actor=world.applicant, class_id=training_class.pk)
