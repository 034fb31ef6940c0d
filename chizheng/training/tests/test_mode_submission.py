"""Commissioned (委托培训), enterprise self-training (企业自主培训) and online+offline (线上+线下)
classes: each is offered by the new-class form and the API, and a class of each goes through
submission."""

from __future__ import annotations

import datetime as dt

import pytest

from chizheng.registry.models import Institution
from chizheng.training import services
from chizheng.training.api import ClassIn
from chizheng.training.forms import ClassForm
from chizheng.training.models import Mode, Status

pytestmark = pytest.mark.django_db

MODES = [Mode.COMMISSIONED, Mode.ENTERPRISE_SELF, Mode.BLENDED]


@pytest.fixture
def platform(world):
    return Institution.objects.create(
        name="在线平台",
        credit_code="91410402PLAT000001",
        kind="platform",
        county=world.institution.county,
        catalog_status="listed",
        catalog_since=dt.date(2022, 1, 1),
    )


@pytest.mark.parametrize("mode", MODES)
def test_the_form_and_the_api_offer_the_mode(mode) -> None:
    form = ClassForm(teachers=[], sites=[], platforms=[], programmes=[], tags=[])
    assert mode in [v for v, _ in form.fields["mode"].choices]  # type: ignore[attr-defined]
    assert mode in ClassIn.model_json_schema()["properties"]["mode"]["enum"]


@pytest.mark.parametrize("mode", MODES)
def test_a_class_of_the_mode_goes_through_submission(world, platform, mode) -> None:
    extra = {"platform_id": platform.pk, "online_theory_hours": 10} if mode == Mode.BLENDED else {}
    training_class = world.apply(mode=mode, **extra)
    report = services.class_submit(actor=world.applicant, class_id=training_class.pk)
    training_class.refresh_from_db()
    assert report.ok, [d.compared for d in report.failed]
    assert training_class.status == Status.SUBMITTED
    assert training_class.get_mode_display() == mode.label
