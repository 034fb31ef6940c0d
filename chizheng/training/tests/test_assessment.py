"""The final assessment: registered ≥ 3 days ahead (附件2); evaluators across counties (§21)."""

import datetime as dt

import pytest

from chizheng.core.errors import NotFound, PermissionDenied, ValidationError
from chizheng.registry.models import EvaluationScope, Institution
from chizheng.training import services
from chizheng.training.models import Status
from chizheng.training.tests.conftest import START, occupation

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(world, today):
    training_class = world.approved()
    today(START)
    services.class_start(actor=world.applicant, class_id=training_class.pk)
    return training_class


def test_an_assessment_registered_two_days_ahead_is_refused(world, started) -> None:
    with pytest.raises(services.RulesFailed, match="附件2"):
        services.assessment_register(
            actor=world.applicant,
            class_id=started.pk,
            evaluator_id=world.evaluator.pk,
            held_on=START + dt.timedelta(days=2),
        )
    started.refresh_from_db()
    assert started.status == Status.IN_TRAINING


def test_three_days_ahead_is_accepted(world, started) -> None:
    a = services.assessment_register(
        actor=world.applicant,
        class_id=started.pk,
        evaluator_id=world.evaluator.pk,
        held_on=START + dt.timedelta(days=3),
    )
    started.refresh_from_db()
    assert started.status == Status.ASSESSMENT_REGISTERED and a.registered_on == START


def test_the_evaluator_must_be_filed_for_the_occupation(world, started) -> None:
    world.evaluator.filing_status = "revoked"
    world.evaluator.save()
    with pytest.raises(NotFound, match="未备案"):
        services.assessment_register(
            actor=world.applicant,
            class_id=started.pk,
            evaluator_id=world.evaluator.pk,
            held_on=START + dt.timedelta(days=5),
        )


def test_an_evaluator_of_another_county_only_where_the_county_has_none(
    world, started, county
) -> None:
    ruzhou = Institution.objects.create(
        name="汝州市鉴定所",
        credit_code="91410482EVAL000009",
        kind="evaluator",
        county=county("410482"),
        evaluator_kind="social",
        filing_status="filed",
    )
    EvaluationScope.objects.create(institution=ruzhou, occupation=occupation(), levels=[4])
    with pytest.raises(ValidationError, match="§21"):
        services.assessment_register(
            actor=world.applicant,
            class_id=started.pk,
            evaluator_id=ruzhou.pk,
            held_on=START + dt.timedelta(days=5),
        )
    world.evaluator.filing_status = "revoked"
    world.evaluator.save()
    services.assessment_register(
        actor=world.applicant,
        class_id=started.pk,
        evaluator_id=ruzhou.pk,
        held_on=START + dt.timedelta(days=5),
    )


def test_another_institution_cannot_register(world, started) -> None:
    from chizheng.core.errors import NotFound

    with pytest.raises(NotFound):
        services.assessment_register(
            actor=world.other_applicant,
            class_id=started.pk,
            evaluator_id=world.evaluator.pk,
            held_on=START + dt.timedelta(days=5),
        )
    with pytest.raises(PermissionDenied):
        services.assessment_register(
            actor=world.hr_a,
            class_id=started.pk,
            evaluator_id=world.evaluator.pk,
            held_on=START + dt.timedelta(days=5),
        )
