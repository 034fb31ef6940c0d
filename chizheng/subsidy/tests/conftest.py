"""A subsidy world on top of the training world: an assessed class of 30 trainees who
attended every session, 28 of them certified at 中级工 (level 4), finance reviewers and 2022
funds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from chizheng.accounts.models import Role, User
from chizheng.core import clock
from chizheng.training import services as training
from chizheng.training.models import Session, TrainingClass
from chizheng.training.tests.conftest import START, Lesson, World, build_world, record_training

HELD = START + dt.timedelta(days=21)  # 2022-06-27, a Monday
CLAIM_DAY = HELD + dt.timedelta(days=1)


def assess(
    w: World,
    *,
    certified: int = 28,
    batch: str = "2022-切割-01",
    level: int = 4,
    roster: Any = None,
    kind: str = "skill_level",
    inspections: tuple[tuple[str, int], ...] = (),
    training_class: TrainingClass | None = None,
    start: dt.date = START,
    lessons: Sequence[Lesson] | None = None,
    absent: Mapping[int, Collection[int]] | None = None,
    during: Callable[[TrainingClass, list[Session]], None] | None = None,
) -> TrainingClass:
    """Approve, start, train and assess a class through the training services (clock moved
    as needed). ``start``: the class's first day; it is applied for 17 days before, runs 21
    days, its assessment is registered on the 15th and held on the 22nd (``HELD`` for the
    default start). Training: a session a day from the start covering its offline hours
    (``lessons`` to change them), everyone signed in but ``absent[n]`` at the n-th session
    (``record_training``); then ``during(class, sessions)`` (makeups …)."""
    held = start + (HELD - START)
    if training_class is None:
        with clock.freeze(start - (START - dt.date(2022, 5, 20))):
            kw: dict[str, Any] = {
                "batch": batch,
                "start_date": start,
                "end_date": start + dt.timedelta(days=20),
            }
            if roster is not None:
                kw["roster"] = roster
            training_class = w.approved(**kw)
    people = list(training_class.enrolments.order_by("id").values_list("person_id", flat=True))
    with clock.freeze(start):
        training.class_start(actor=w.applicant, class_id=training_class.pk)
        for what, present in inspections:
            training.inspection_record(
                actor=w.inspector,
                class_id=training_class.pk,
                kind=what,
                held_on=start,
                place="实训车间",
                present=present,
                signed_in=present,
                teachers_present=2,
            )
    sessions = record_training(w, training_class, plan=lessons, absent=absent)
    if during is not None:
        during(training_class, sessions)
    with clock.freeze(start + dt.timedelta(days=14)):
        training.assessment_register(
            actor=w.applicant, class_id=training_class.pk, evaluator_id=w.evaluator.pk, held_on=held
        )
    with clock.freeze(held):
        training.results_record(
            actor=w.evaluator_user,
            class_id=training_class.pk,
            counts={kind: (len(people), certified)},
            certificates=[
                training.CertificateIn(pid, f"C{training_class.pk:04d}{n:03d}", kind, level, held)
                for n, pid in enumerate(people[:certified])
            ],
        )
    training_class.refresh_from_db()
    return training_class


@dataclass
class Money:
    w: World
    training_class: TrainingClass
    office: User
    office_b: User
    finance_a: User
    finance_b: User
    other_county_hr: User
    other_department: User


@pytest.fixture
def world(city: Any, make_user: Any) -> World:
    with clock.freeze(dt.date(2022, 5, 20)):
        return build_world(make_user)


@pytest.fixture
def money(world: World, make_user: Any, county: Any, city: Any) -> Money:
    from chizheng.org.models import Department

    training_class = assess(world)
    other_dept = Department.objects.exclude(code="miit").first()
    return Money(
        w=world,
        training_class=training_class,
        office=make_user(Role.PROGRAMME_OFFICE),
        office_b=make_user(Role.PROGRAMME_OFFICE),
        finance_a=make_user(Role.FINANCE),
        finance_b=make_user(Role.FINANCE),
        other_county_hr=make_user(Role.COUNTY_HR, county=county("410482")),
        other_department=make_user(Role.INDUSTRY, department=other_dept),
    )


def fund(m: Money, source: str, amount: str, year: int = 2022) -> None:
    from chizheng.subsidy import services

    with clock.freeze(dt.date(year, 1, 10)):
        services.fund_budget(
            actor=m.finance_a, source=source, year=year, amount=Decimal(amount), reason="年度预算"
        )
