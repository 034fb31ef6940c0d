"""A class's choices — mode, certificate type, session and inspection kinds, who applied for
the assessment — are refused when unknown, by the API and by the
services, naming the allowed ones in Chinese; nothing is stored as given."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from chizheng.core.errors import ValidationError
from chizheng.training import services
from chizheng.training.models import Inspection, Session, TrainingClass
from chizheng.training.tests.conftest import START

pytestmark = pytest.mark.django_db


def test_garbage_mode_and_certificate_type(world, client: Client) -> None:
    client.force_login(world.applicant)
    body = {
        "batch": "API-01",
        "start_date": START.isoformat(),
        "end_date": "2022-06-26",
        "occupation_code": "6-18-02-05",
        "certificate_type": "garbage",
        "planned_count": 30,
        "class_hours": 80,
        "practical_hours": 50,
        "class_hour_minutes": 45,
        "mode": "garbage",
        "contact_name": "李",
        "contact_phone": "0375-1",
    }
    r = client.post("/api/v1/classes", body, content_type="application/json")
    assert r.status_code == 422
    reasons = {d["field"]: d["reason"] for d in r.json()["detail"]}
    assert reasons["mode"].startswith("培训方式应为：企业自主培训、委托培训")
    assert reasons["certificate_type"].startswith("考核证书类型应为：职业资格证书")
    for field in ("mode", "certificate_type"):
        with pytest.raises(ValidationError) as e:
            world.apply(**{field: "garbage"})
        assert e.value.detail["field"] == field
    assert not TrainingClass.objects.exists()


def test_garbage_session_inspection_and_assessment(world, today) -> None:
    today(START)
    training_class = world.approved()
    services.class_start(actor=world.applicant, class_id=training_class.pk)
    with pytest.raises(ValidationError) as e:
        services.session_add(
            actor=world.applicant,
            class_id=training_class.pk,
            held_on=START,
            kind="garbage",
            class_hours=2,
            minutes=90,
        )
    assert "线上理论" in e.value.message and not Session.objects.exists()
    with pytest.raises(ValidationError) as e:
        services.inspection_record(
            actor=world.inspector,
            class_id=training_class.pk,
            kind="garbage",
            held_on=START,
            place="实训楼",
            present=20,
            signed_in=20,
            teachers_present=2,
        )
    assert "开班当日检查" in e.value.message and not Inspection.objects.exists()
    with pytest.raises(ValidationError) as e:
        services.assessment_register(
            actor=world.applicant,
            class_id=training_class.pk,
            evaluator_id=world.evaluator.pk,
            held_on=START + dt.timedelta(days=30),
            applied_by="garbage",
        )
    assert "劳动者个人" in e.value.message
