"""The class page offers each user the forms of what the permission table lets him do to
this class: the applicant starts it and records its sessions and its assessment, the
inspectors and the HR bureau record inspections, the class's evaluator its results; a
trainee is sent to his own pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from chizheng.accounts.models import Role, User
from chizheng.training import services
from chizheng.training.tests.conftest import START

pytestmark = pytest.mark.django_db

FORMS = ('data-testid="start"', 'data-testid="session-form"', 'data-testid="inspection-form"')


def _page(user: User, class_id: int) -> str:
    client = Client()
    client.force_login(user)
    r = client.get(reverse("training:detail", kwargs={"class_id": class_id}))
    assert r.status_code == 200
    return r.content.decode()


def _offered(user: User, class_id: int) -> set[str]:
    page = _page(user, class_id)
    return {
        f
        for f in (*FORMS, 'data-testid="assessment-form"', 'data-testid="results-form"')
        if f in page
    }


def test_each_user_is_offered_what_he_may_do_to_this_class(world, today) -> None:
    training_class = world.approved()
    today(START)
    pk = training_class.pk
    assert _offered(world.applicant, pk) == {'data-testid="start"'}
    assert _offered(world.hr_a, pk) == {'data-testid="inspection-form"'}
    assert _offered(world.inspector, pk) == {'data-testid="inspection-form"'}
    assert _offered(world.industry_a, pk) == set()

    services.class_start(actor=world.applicant, class_id=pk)
    assert _offered(world.applicant, pk) == {
        'data-testid="session-form"',
        'data-testid="assessment-form"',
    }
    assert _offered(world.hr_a, pk) == {'data-testid="inspection-form"'}

    held = START + dt.timedelta(days=21)
    services.assessment_register(
        actor=world.applicant, class_id=pk, evaluator_id=world.evaluator.pk, held_on=held
    )
    assert _offered(world.evaluator_user, pk) == {'data-testid="results-form"'}
    assert 'data-testid="results-form"' not in _page(world.applicant, pk)


def test_a_trainee_is_sent_to_his_own_pages(world, make_user) -> None:
    training_class = world.apply()
    trainee = make_user(Role.WORKER, person=world.people[0])
    client = Client()
    client.force_login(trainee)
    r = client.get(reverse("training:detail", kwargs={"class_id": training_class.pk}))
    assert r.status_code == 403
    assert "学员请在首页查看本人的培训与证书" in r.content.decode()
