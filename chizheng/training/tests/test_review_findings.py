"""Defects found in review, each pinned by a test: who may touch a class's records, what a
trainee sees, who sees the inspection plan, a survey closed once, the sign-in redirect."""

import datetime as dt

import pytest
from django.test import Client

from chizheng.accounts.models import Role
from chizheng.core.errors import NotFound, PermissionDenied, ValidationError
from chizheng.registry.models import Sanction
from chizheng.training import services
from chizheng.training.tests.conftest import START

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(world, today):
    training_class = world.approved()
    today(START)
    services.class_start(actor=world.applicant, class_id=training_class.pk)
    services.assessment_register(
        actor=world.applicant,
        class_id=training_class.pk,
        evaluator_id=world.evaluator.pk,
        held_on=START + dt.timedelta(days=10),
    )
    return training_class


def test_the_assessor_cannot_overwrite_the_sign_in(world, registered, make_user) -> None:
    s = services.session_add(
        actor=world.applicant,
        class_id=registered.pk,
        held_on=START,
        kind="theory",
        class_hours=2,
        minutes=90,
        recorded_minutes=90,
    )
    services.attendance_record(
        actor=world.applicant, session_id=s.pk, present_person_ids=[p.pk for p in world.people[:30]]
    )
    assessor_staff = make_user(
        Role.INSTITUTION, institution=world.evaluator
    )  # sees the class as its assessor
    with pytest.raises(PermissionDenied, match="本班的培训机构"):
        services.attendance_record(actor=assessor_staff, session_id=s.pk, present_person_ids=[])
    assert s.attendance.filter(present=True).count() == 30


def test_a_trainee_does_not_get_the_class_page_pdf_or_api(
    world, registered, make_user, client: Client
) -> None:
    client.force_login(make_user(Role.WORKER, person=world.people[0]))
    assert client.get(f"/classes/{registered.pk}/").status_code == 403
    assert client.get(f"/classes/{registered.pk}/pdf/").status_code == 403
    assert client.get(f"/api/v1/classes/{registered.pk}").status_code == 403
    assert client.get(f"/classes/{registered.pk}/survey/").status_code == 200  # his own page


def test_the_inspection_plan_is_not_shown_to_institutions(world, client: Client) -> None:
    client.force_login(world.applicant)
    assert client.get("/classes/inspections/").status_code == 403
    client.force_login(world.inspector)
    assert client.get("/classes/inspections/").status_code == 200


def test_a_survey_is_closed_once_and_answers_stop(world, registered, make_user) -> None:
    trainee = make_user(Role.WORKER, person=world.people[0])
    services.survey_answer(actor=trainee, class_id=registered.pk, satisfied=False)
    out = services.survey_close(actor=world.hr_a, class_id=registered.pk)
    assert out.suspended and Sanction.objects.count() == 1
    with pytest.raises(ValidationError, match="不能重复汇总"):
        services.survey_close(actor=world.hr_a, class_id=registered.pk)
    with pytest.raises(ValidationError, match="已于"):
        services.survey_answer(actor=trainee, class_id=registered.pk, satisfied=True)
    assert Sanction.objects.count() == 1


def test_no_survey_before_training(world, make_user) -> None:
    training_class = world.approved()
    with pytest.raises(ValidationError, match="培训开始后"):
        services.survey_answer(
            actor=make_user(Role.WORKER, person=world.people[0]),
            class_id=training_class.pk,
            satisfied=True,
        )


def test_an_unknown_evaluator_is_not_found(world, registered) -> None:
    with pytest.raises(NotFound):
        services.assessment_register(
            actor=world.applicant,
            class_id=registered.pk,
            evaluator_id=999_999,
            held_on=START + dt.timedelta(days=10),
        )


def test_sign_in_does_not_redirect_off_site(world, client: Client) -> None:
    r = client.post(
        "/login/?next=https://evil.example/",
        {"username": world.applicant.username, "password": "pw-Test-12345"},
    )
    assert r.status_code == 302 and r["Location"] == "/"
    r = client.post(
        "/login/?next=/classes/", {"username": world.hr_a.username, "password": "pw-Test-12345"}
    )
    assert r["Location"] == "/classes/"
