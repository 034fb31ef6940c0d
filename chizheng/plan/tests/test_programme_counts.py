"""The programme table counts the roster and the certificates of each programme's classes
from the classes themselves (the roster size the roster service keeps, the assessment's
counts), equal to counting the enrolments and certificates, and in the actor's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from chizheng.accounts.models import Role
from chizheng.assessment.models import Certificate
from chizheng.core import clock
from chizheng.plan.selectors import programme_list
from chizheng.plan.services import plan_load
from chizheng.subsidy.tests.conftest import assess
from chizheng.training.models import TrainingClass
from chizheng.training.tests.conftest import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(city: Any, make_user: Any) -> Any:
    with clock.freeze(dt.date(2022, 5, 20)):
        return build_world(make_user)


def test_rosters_and_certificates_per_programme_equal_the_records(
    world: Any, make_user: Any
) -> None:
    plan = plan_load()
    first = plan.programmes.get(number=1)
    k = assess(world, certified=28)
    TrainingClass.objects.filter(pk=k.pk).update(programme=first)
    certificates = Certificate.objects.filter(training_class=k).count()
    assert certificates == 28
    rows: dict[int, Any] = {
        p.number: p for p in programme_list(actor=make_user(Role.PROGRAMME_OFFICE), plan=plan)
    }
    assert rows[1].trainee_count == k.enrolments.count() == 30
    assert rows[1].certificate_count == certificates
    assert (rows[2].trainee_count, rows[2].certificate_count) == (0, 0)
    other = make_user(
        Role.COUNTY_HR, county=world.people[0].county.city.counties.get(code="410482")
    )
    assert world.institution.county.code != "410482"
    theirs: dict[int, Any] = {p.number: p for p in programme_list(actor=other, plan=plan)}
    assert (theirs[1].trainee_count, theirs[1].certificate_count) == (0, 0)


def test_a_roster_added_to_moves_the_size_and_the_version(world: Any) -> None:
    from chizheng.training import services

    k = world.apply(roster=world.people[:5])
    k.refresh_from_db()
    assert k.roster_size == 5
    version = k.version
    services.roster_add(
        actor=world.applicant, class_id=k.pk, person_ids=[p.pk for p in world.people[5:8]]
    )
    k.refresh_from_db()
    assert (k.roster_size, k.version) == (8, version + 1)
