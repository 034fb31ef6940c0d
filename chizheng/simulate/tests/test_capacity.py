"""The year's draw within what a county can hold: a year of city size books no site's
workstations and no evaluator's day beyond capacity, as the supervision scan's own rules
judge it — so the scan's findings on the simulated year are the planted ones."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from chizheng import demo
from chizheng.org.models import County
from chizheng.rules import crosschecks_capacity as cc
from chizheng.rules import params
from chizheng.rules.crosscheck_rows import ClassRef, IssuedRow, SiteBooking
from chizheng.simulate import actors, capacity, run
from chizheng.simulate.scale import CITY
from chizheng.training.models import Status

TODAY = dt.date(2022, 12, 20)
DAY = dt.date(2022, 6, 1)


def _policy(name: str, day: dt.date) -> int:
    return {"class.max_trainees_per_workstation": 20, "supervision.evaluator_daily_capacity": 100}[
        name
    ]


def test_a_class_goes_to_the_site_with_room() -> None:
    ledger = capacity.Ledger(_policy, reserve=0.0)
    trainer = actors.Trainer(None, None, [], [(1, {"x": 2}), (2, {"x": 3})], [])  # type: ignore[arg-type]
    end = DAY + dt.timedelta(days=20)
    assert ledger.best_site(trainer, "x", DAY, end) == (2, 60)
    ledger.book_site(2, "x", DAY, end, 50)
    assert ledger.best_site(trainer, "x", DAY, end) == (1, 40)
    after = end + dt.timedelta(days=1)
    assert ledger.best_site(trainer, "x", after, after + dt.timedelta(days=3)) == (2, 60)
    assert ledger.best_site(trainer, "y", DAY, end) == (0, 0)  # no workstations for it


def test_an_assessment_moves_to_the_evaluators_next_free_day() -> None:
    ledger = capacity.Ledger(_policy, reserve=0.1)  # 90 a day
    assert ledger.assessment_day(7, DAY, DAY + dt.timedelta(days=5), 60) == (DAY, 60)
    assert ledger.assessment_day(7, DAY, DAY + dt.timedelta(days=5), 60) == (
        DAY + dt.timedelta(days=1),
        60,
    )
    assert ledger.assessment_day(8, DAY, DAY, 30) == (DAY, 30)  # another evaluator
    # no day in reach has room: the emptiest, certifying what it can
    assert ledger.assessment_day(7, DAY, DAY + dt.timedelta(days=1), 50) == (DAY, 30)


@pytest.mark.django_db
def test_a_city_size_year_is_drawn_within_capacity() -> None:
    demo.build(people=5, areas=("registry",))
    scale = dataclasses.replace(CITY, counties=("410402", "410422"))
    counties = list(County.objects.filter(code__in=scale.counties).order_by("order"))
    a = actors.gather(counties, 2022, sites=scale.sites)
    draws = run.plan_year(scale, 2022, 2022, TODAY, a, counties)
    assert len(draws) == scale.classes_per_county * len(counties)  # none left out
    at = params.current().at(DAY)
    workstations = {s: ws for ts in a.trainers.values() for t in ts for s, ws in t.sites}
    refs = {
        d.index: ClassRef(d.index, d.batch, 0, "", d.county_id, "", d.start, d.end) for d in draws
    }
    bookings = [
        SiteBooking(d.site or 0, "", d.occupation, workstations[d.site or 0].get(d.occupation, 0),
                    refs[d.index], d.trainees)
        for d in draws
    ]  # fmt: skip
    assert cc.workstations_overbooked(bookings, at) == []
    assert len({(d.site, d.occupation) for d in draws}) > len(workstations)  # sites shared
    issued = [
        IssuedRow(d.index * 100 + k, "", f"{d.batch}-{k}", a.evaluators[d.county_id][0].pk, "",
                  d.county_id, d.occupation, d.level, d.held, (5, 4, 3), refs[d.index])
        for d in draws
        if d.state == Status.ASSESSED
        for k in range(d.certified)
    ]  # fmt: skip
    assert len(issued) > 10_000
    assert cc.evaluator_over_capacity(issued, at) == []
    assert any(d.later for d in draws)  # the evaluator's calendar did move some
