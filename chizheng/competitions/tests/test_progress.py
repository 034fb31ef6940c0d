"""The three §11 indicators on the plan's dashboard, computed from the records: distinct
occupations competed (each once, at its first event), events begun, distinct people
certified through a competition; up to the date, in the actor's scope; and no indicator of
the plan reads "数据待接入" any more."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from chizheng.accounts.models import Role, User
from chizheng.competitions import services
from chizheng.competitions.models import Contestant, Event
from chizheng.plan.models import Plan
from chizheng.plan.selectors import plan_progress
from chizheng.plan.services import plan_load
from chizheng.registry.models import Person

pytestmark = pytest.mark.django_db
XINHUA, RUZHOU = "410402", "410482"


@pytest.fixture
def plan(city: Any) -> Plan:
    return plan_load()


@pytest.fixture
def year(
    make_event: Callable[..., Event],
    enter: Callable[..., Contestant],
    make_person: Callable[..., Person],
    office: User,
    today: Callable[[dt.date], None],
) -> dict[str, Any]:
    today(dt.date(2022, 12, 31))
    e1 = make_event(
        county_code=XINHUA, codes=("6-18-01-01", "6-18-01-02"), starts_on=dt.date(2022, 3, 8)
    )
    e2 = make_event(
        county_code=RUZHOU, codes=("6-18-01-01", "6-29-03-01"), starts_on=dt.date(2022, 6, 14)
    )
    make_event(county_code=RUZHOU, codes=("4-03-02-01",), starts_on=dt.date(2021, 11, 2))
    make_event(county_code=XINHUA, codes=("4-03-02-01",), starts_on=dt.date(2022, 10, 9))
    twice = make_person(XINHUA)

    def certify(event: Event, person: Person, on: dt.date, code: str = "6-18-01-01") -> None:
        c = enter(event, person, code=code, award="first", rank=1)
        services.contestant_certify(
            actor=office, contestant_id=c.pk, conferred_level=4, conferred_on=on
        )

    certify(e1, twice, dt.date(2022, 3, 20))
    certify(e2, twice, dt.date(2022, 6, 30))  # the same person: counted once, in March
    certify(e2, make_person(RUZHOU), dt.date(2022, 6, 30))
    enter(e1, make_person(XINHUA), code="6-18-01-02")  # entered, never certified
    return {"e1": e1, "e2": e2}


def test_the_three_indicators_are_tallied_from_the_records(
    plan: Plan, office: User, county: Any, year: dict[str, Any]
) -> None:
    progress = plan_progress(actor=office, plan=plan, until=dt.date(2022, 12, 31))
    occupations = progress.by_code("competition_occupations")
    events = progress.by_code("competition_events")
    certified = progress.by_code("competition_certified")
    assert all(ip.available for ip in (occupations, events, certified))
    # 6-18-01-01 and -02 in Xinhua (March), 6-29-03-01 in Ruzhou (June), 4-03-02-01 in
    # Xinhua (October; its 2021 event is another year's).
    assert occupations.city.count == 4
    assert occupations.county_months[county(XINHUA).pk] == {3: 2, 10: 1}
    assert occupations.county_months[county(RUZHOU).pk] == {6: 1}
    assert events.city.count == 3 and events.months == {3: 1, 6: 1, 10: 1}
    assert certified.city.count == 2 and certified.months == {3: 1, 6: 1}
    assert certified.city.target is not None and certified.city.target == 300
    # Up to a date: on 31 May only the March event and its certification.
    may = plan_progress(actor=office, plan=plan, until=dt.date(2022, 5, 31))
    assert may.by_code("competition_events").city.count == 1
    assert may.by_code("competition_occupations").city.count == 2
    assert may.by_code("competition_certified").city.count == 1


def test_a_county_counts_only_the_events_held_in_it(
    plan: Plan, make_user: Callable[..., User], county: Any, year: dict[str, Any]
) -> None:
    ruzhou = make_user(Role.COUNTY_HR, county=county(RUZHOU))
    progress = plan_progress(actor=ruzhou, plan=plan, until=dt.date(2022, 12, 31))
    # Its own June event: two occupations (6-18-01-01 is counted here too: its first event
    # in this county), two certified (the one certified in Xinhua first is, here, first here).
    assert progress.by_code("competition_events").city.count == 1
    assert progress.by_code("competition_occupations").city.count == 2
    assert progress.by_code("competition_certified").city.count == 2
    assert set(progress.by_code("competition_events").county_months) == {county(RUZHOU).pk}


def test_no_indicator_reads_data_pending(
    client: Any, plan: Plan, office: User, year: dict[str, Any]
) -> None:
    progress = plan_progress(actor=office, plan=plan, until=dt.date(2022, 12, 31))
    assert all(ip.available and ip.city.flag != "todo" for ip in progress.indicators)
    client.force_login(office)
    page = client.get(reverse("plan:dashboard") + "?year=2022&until=2022-12-31")
    assert page.status_code == 200
    assert "数据待接入" not in page.content.decode()
