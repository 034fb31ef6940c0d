"""A class whose certificate carries a skill level (职业资格, 职业技能等级) must name it: the
rules are never given an invented level. A certificate without levels has none."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from chizheng.rules.evaluate import evaluate
from chizheng.training import facts, services
from chizheng.training.facts import LevelUnknown
from chizheng.training.models import FinalAssessment, Status, TrainingClass

pytestmark = pytest.mark.django_db


def test_a_levelled_certificate_without_a_level_is_refused(world: Any) -> None:
    training_class = world.apply(skill_level=None, certificate_type="skill_level")
    with pytest.raises(LevelUnknown) as e:
        services.class_submit(actor=world.applicant, class_id=training_class.pk)
    assert e.value.code == "class_level_unknown"
    assert "须注明级别" in e.value.message and e.value.detail["field"] == "skill_level"
    assert TrainingClass.objects.get(pk=training_class.pk).status == Status.DRAFT
    with pytest.raises(LevelUnknown):
        services.class_check(training_class=training_class)


def test_a_certificate_without_levels_has_no_level(world: Any) -> None:
    training_class = world.apply(
        skill_level=None, certificate_type="special_ability", batch="2022-专项-01"
    )
    assert facts.class_application(training_class).level is None
    report = services.class_check(training_class=training_class)
    assert report.decisions  # judged, not refused
    assessment = FinalAssessment(
        training_class=training_class,
        evaluator=world.evaluator,
        registered_on=dt.date(2022, 6, 20),
        held_on=dt.date(2022, 6, 27),
    )
    checked = facts.assessment_facts(assessment)
    assert checked.level is None
    required = next(
        d
        for d in evaluate(checked, on=assessment.registered_on).decisions
        if d.rule == "assessment.certificate_required"
    )
    assert "None" not in required.compared and " 5 级" not in required.compared


def test_the_level_a_class_names_is_what_the_rules_read(world: Any) -> None:
    training_class = world.apply(skill_level=3)
    assert facts.class_application(training_class).level == 3
