"""附件2's line "组织考核（评价、鉴定）时间（提前N天提出…）" reads ``assessment.min_days_registered_ahead``
in force on the day the assessment was registered: a dated amendment changes it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from chizheng.rules.tests.amend import amended
from chizheng.training import annex2, pdf, selectors, services
from chizheng.training.tests.conftest import START
from chizheng.training.tests.pdftext import pdf_text

pytestmark = pytest.mark.django_db
AHEAD = "assessment.min_days_registered_ahead"


def _registered(world: Any, today: Any) -> Any:
    training_class = world.approved()
    today(START)
    services.class_start(actor=world.applicant, class_id=training_class.pk)
    services.assessment_register(
        actor=world.applicant,
        class_id=training_class.pk,
        evaluator_id=world.evaluator.pk,
        held_on=START + dt.timedelta(days=21),
    )
    return training_class


def _pdf_text(world: Any, training_class: Any) -> str:
    return pdf_text(pdf.form_pdf(annex2.annex2(actor=world.applicant, class_id=training_class.pk)))


def test_the_days_ahead_are_the_parameter_in_force(tmp_path: Path) -> None:
    assert selectors.assessment_ahead_days(on=dt.date(2022, 6, 1)) == 3
    with amended(tmp_path, AHEAD, on=dt.date(2023, 1, 1), value=5):
        assert selectors.assessment_ahead_days(on=dt.date(2022, 12, 31)) == 3
        assert selectors.assessment_ahead_days(on=dt.date(2023, 1, 1)) == 5


def test_the_form_names_the_days_in_force_when_the_assessment_was_registered(
    world: Any, today: Any, tmp_path: Path
) -> None:
    training_class = _registered(world, today)  # registered on START, 2022-06-06
    assert annex2.class_half(training_class=training_class).assessment_ahead_days == 3
    label = "组织考核（评价、鉴定）时间（提前{}天提出，并在信息化管理系统上填报）"
    assert label.format(3) in _pdf_text(world, training_class)
    with amended(tmp_path, AHEAD, on=dt.date(2022, 6, 1), value=5):
        assert annex2.class_half(training_class=training_class).assessment_ahead_days == 5
        assert label.format(5) in _pdf_text(world, training_class)
        assert label.format(3) not in _pdf_text(world, training_class)
    with amended(tmp_path / "later", AHEAD, on=dt.date(2022, 6, 7), value=5):
        assert annex2.class_half(training_class=training_class).assessment_ahead_days == 3
