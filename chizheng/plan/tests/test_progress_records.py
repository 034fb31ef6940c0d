"""Progress read from the class and filing records: training person-times (§21: the average
present at inspections), apprentices, and newly filed evaluation institutions by type."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from chizheng.accounts.models import Role
from chizheng.plan.models import Plan
from chizheng.plan.selectors import plan_progress
from chizheng.plan.services import plan_load
from chizheng.registry.models import Institution
from chizheng.training import services
from chizheng.training.tests.conftest import START, build_world

pytestmark = pytest.mark.django_db
END = dt.date(2022, 6, 30)


@pytest.fixture
def world(city: Any, make_user: Any, today: Any) -> Any:
    today(dt.date(2022, 5, 20))
    return build_world(make_user)


def test_a_class_counts_its_average_present_in_its_opening_month(
    world: Any, make_user: Any, today: Any
) -> None:
    plan: Plan = plan_load()
    training_class = world.approved()
    today(START)
    services.class_start(actor=world.applicant, class_id=training_class.pk)
    office = make_user(Role.PROGRAMME_OFFICE)
    progress = plan_progress(actor=office, plan=plan, until=END)
    xinhua = world.institution.county_id
    assert (
        progress.by_code("training").county_months[xinhua][6] == 30
    )  # no inspection yet: the roster
    services.inspection_record(
        actor=world.inspector,
        class_id=training_class.pk,
        kind="opening",
        held_on=START,
        place="车间",
        present=30,
        signed_in=30,
        teachers_present=2,
    )
    services.inspection_record(
        actor=world.inspector,
        class_id=training_class.pk,
        kind="during",
        held_on=START,
        place="车间",
        present=25,
        signed_in=25,
        teachers_present=2,
    )
    progress = plan_progress(actor=office, plan=plan, until=END)
    assert (
        progress.by_code("subsidised_training").county_months[xinhua][6] == 25
    )  # §21: the average present during training
    ruzhou = make_user(
        Role.COUNTY_HR, county=world.people[0].county.city.counties.get(code="410482")
    )
    assert plan_progress(actor=ruzhou, plan=plan, until=END).by_code("training").city.count == 0


def test_filings_count_by_type_in_their_month(world: Any, make_user: Any) -> None:
    plan = plan_load()
    for n, kind in enumerate(("employer", "employer", "school")):
        Institution.objects.create(
            name=f"评价机构{n}",
            credit_code=f"91410402FILE{n:06d}",
            kind="employer",
            county=world.institution.county,
            evaluator_kind=kind,
            filing_status="filed",
            filed_on=dt.date(2022, 3, 10),
        )
    progress = plan_progress(actor=make_user(Role.PROGRAMME_OFFICE), plan=plan, until=END)
    assert progress.by_code("filed_evaluators_employer").city.count == 2
    assert progress.by_code("filed_evaluators_school").city.count == 1
    # the world's social evaluator was filed 2022-01-10
    assert progress.by_code("filed_evaluators").city.count == 4
    assert progress.by_code("social_evaluators").city.count == 1


def test_classes_read_per_programme_and_lead_unit(world: Any, make_user: Any, client: Any) -> None:
    from chizheng.plan.selectors import programme_list
    from chizheng.training.models import TrainingClass

    plan = plan_load()
    first = plan.programmes.get(number=1)
    training_class = world.apply()
    TrainingClass.objects.filter(pk=training_class.pk).update(programme=first)
    rows: dict[int, Any] = {
        p.number: p for p in programme_list(actor=make_user(Role.PROGRAMME_OFFICE), plan=plan)
    }
    assert (rows[1].class_count, rows[1].trainee_count, rows[2].class_count) == (1, 30, 0)
    assert rows[1].units.all()[0].department.name == "市工信局"  # the lead unit
    ruzhou = make_user(
        Role.COUNTY_HR, county=world.people[0].county.city.counties.get(code="410482")
    )
    counts: dict[int, Any] = {p.number: p for p in programme_list(actor=ruzhou, plan=plan)}
    assert counts[1].class_count == 0


@pytest.mark.parametrize("classes", [1, 3])
def test_programme_counts_take_the_same_queries_however_many_classes(
    world: Any, make_user: Any, classes: int
) -> None:
    """One grouped query per count, not one per programme or per class (the plan page)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chizheng.plan.selectors import programme_list
    from chizheng.training.models import TrainingClass

    plan = plan_load()
    first, second = plan.programmes.get(number=1), plan.programmes.get(number=2)
    for n in range(classes):
        k = world.apply(batch=f"专项-{n}", roster=world.people[n * 5 : n * 5 + 5])
        TrainingClass.objects.filter(pk=k.pk).update(programme=second if n else first)
    office = make_user(Role.PROGRAMME_OFFICE)
    with CaptureQueriesContext(connection) as q:
        rows: dict[int, Any] = {p.number: p for p in programme_list(actor=office, plan=plan)}
    assert (
        len(q.captured_queries) == 5
    )  # programmes, units, departments, classes with their rosters, certificates
    assert (rows[1].class_count, rows[1].trainee_count) == (1, 5)
    assert (rows[2].class_count, rows[2].trainee_count) == (classes - 1, 5 * (classes - 1))
    assert rows[2].started_count == 0 and rows[1].certificate_count == 0


@pytest.mark.parametrize("classes", [1, 3])
def test_trained_person_times_are_summed_in_two_queries(
    world: Any, make_user: Any, classes: int
) -> None:
    """The inspected figure where there is one, else the roster; summed in the database by
    county × month (the dashboard), not fetched a row per class."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chizheng.plan.selectors import Facts, trained
    from chizheng.training.models import TrainingClass

    made = []
    for n in range(classes):
        k = world.apply(batch=f"人次-{n}", roster=world.people[n * 4 : n * 4 + 4])
        made.append(k.pk)
    # the first class inspected (3 counted of its 4), the others counted by their roster
    TrainingClass.objects.filter(pk__in=made).update(status="in_training", start_date=START)
    TrainingClass.objects.filter(pk=made[0]).update(trained=3)
    facts = Facts(actor=make_user(Role.PROGRAMME_OFFICE), year=START.year, until=END)
    with CaptureQueriesContext(connection) as q:
        tally = trained(facts)
    assert len(q.captured_queries) == 2
    county = TrainingClass.objects.get(pk=made[0]).institution.county_id
    assert tally.counts == {(county, START.month): 3 + 4 * (classes - 1)}
