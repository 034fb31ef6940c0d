"""附件2's line "组织考核时间（提前N天提出并在系统填报）" reads ``assessment.min_days_registered_ahead``
in force on the day the assessment was registered: a dated amendment changes it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from chizheng.rules.tests.amend import amended
from chizheng.training import pdf, selectors, services
from chizheng.training.tests.conftest import START

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


def _pdf_texts(boxes: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    texts: list[str] = []
    paragraph = pdf._p

    def recording(text: Any) -> Any:
        texts.append(str(text))
        return paragraph(text)

    monkeypatch.setattr(pdf, "_p", recording)
    pdf.form_pdf(boxes)
    return texts


def test_the_days_ahead_are_the_parameter_in_force(tmp_path: Path) -> None:
    assert selectors.assessment_ahead_days(on=dt.date(2022, 6, 1)) == 3
    with amended(tmp_path, AHEAD, on=dt.date(2023, 1, 1), value=5):
        assert selectors.assessment_ahead_days(on=dt.date(2022, 12, 31)) == 3
        assert selectors.assessment_ahead_days(on=dt.date(2023, 1, 1)) == 5


def test_the_form_names_the_days_in_force_when_the_assessment_was_registered(
    world: Any, today: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    training_class = _registered(world, today)  # registered on START, 2022-06-06
    boxes = selectors.form_boxes(training_class=training_class)
    assert boxes["assessment_ahead_days"] == 3
    assert "组织考核时间（提前3天提出并在系统填报）" in _pdf_texts(boxes, monkeypatch)
    with amended(tmp_path, AHEAD, on=dt.date(2022, 6, 1), value=5):
        boxes = selectors.form_boxes(training_class=training_class)
        assert boxes["assessment_ahead_days"] == 5
        assert "组织考核时间（提前5天提出并在系统填报）" in _pdf_texts(boxes, monkeypatch)
    with amended(tmp_path / "later", AHEAD, on=dt.date(2022, 6, 7), value=5):
        assert selectors.form_boxes(training_class=training_class)["assessment_ahead_days"] == 3
