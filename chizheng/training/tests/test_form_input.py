"""The class pages check numbers against their columns and text for control characters:
a form error, never a 500 from the database (``class_hours`` is a smallint)."""

from __future__ import annotations

import pytest

from chizheng.api.tests.clients import ApiClient
from chizheng.training import services
from chizheng.training.models import Inspection, Session
from chizheng.training.tests.conftest import START

pytestmark = pytest.mark.django_db


def test_session_and_inspection_forms(world, today) -> None:
    today(START)
    training_class = world.approved()
    services.class_start(actor=world.applicant, class_id=training_class.pk)
    page = ApiClient()
    page.force_login(world.applicant)
    r = page.post(
        f"/classes/{training_class.pk}/sessions/",
        {"held_on": START.isoformat(), "kind": "theory", "class_hours": "40000", "minutes": "90"},
        follow=True,
    )
    assert r.status_code == 200 and "32767" in r.content.decode()
    assert not Session.objects.exists()
    inspector = ApiClient()
    inspector.force_login(world.inspector)
    r = inspector.post(
        f"/classes/{training_class.pk}/inspections/",
        {
            "kind": "opening",
            "held_on": START.isoformat(),
            "place": "实训楼\x00",
            "present": "20",
            "signed_in": str(2**40),
            "teachers_present": "2",
        },
        follow=True,
    )
    text = r.content.decode()
    assert r.status_code == 200 and "控制字符" in text and "2147483647" in text
    assert not Inspection.objects.exists()
