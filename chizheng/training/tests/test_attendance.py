"""Recognised attendance on the class (§19, §21): which sessions count and why not, each
trainee's rate with his makeups and online hours, read in a fixed number of queries, shown
on the class page, and only to those who may read the class."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from chizheng.core.errors import NotFound
from chizheng.training import facts, selectors, services
from chizheng.training.models import TrainingClass
from chizheng.training.tests.conftest import START, Lesson, World, record_training

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(world: World, today: Any) -> TrainingClass:
    training_class = world.approved()
    today(START)
    services.class_start(actor=world.applicant, class_id=training_class.pk)
    training_class.refresh_from_db()
    return training_class


def test_a_session_failing_a_recording_rule_is_not_recognised_and_says_why(
    world: World, started: TrainingClass
) -> None:
    p = world.people
    record_training(
        world,
        started,
        plan=[
            Lesson("theory", 10),
            Lesson("practical", 10, short_hours=3),
            Lesson("practical", 10, shows_all_trainees=False),
        ],
        absent={0: [p[0].pk]},
    )
    # online theory counts through the platform's audit, never as a session
    services.session_add(
        actor=world.applicant,
        class_id=started.pk,
        held_on=START,
        kind="online",
        class_hours=2,
        minutes=90,
    )
    seen = selectors.class_attendance(training_class=started)
    assert [(r.ref, r.recognised_hours, r.recognised) for r in seen.sessions] == [
        ("2022-06-06 理论", 10, True),
        ("2022-06-07 实操", 7, False),
        ("2022-06-08 实操", 0, False),
    ]
    short, unseen = seen.sessions[1].reasons, seen.sessions[2].reasons
    assert len(short) == 1 and "第 8, 9, 10 学时不足" in short[0] and short[0].endswith("（§19）")
    assert unseen == ("录像无法显示全体参训人员，当班培训不予认可（§19）",)
    (absent,) = [t for t in seen.trainees if t.enrolment.person_id == p[0].pk]
    assert (absent.attended_hours, absent.class_hours, absent.required_hours) == (7, 80, 64)
    assert absent.absent == ("2022-06-06 理论",)
    assert absent.decision.rule == "attendance.rate" and absent.decision.clause == "§21"
    assert not absent.passed and absent.rate_shown == "8.7%"
    others = {t.attended_hours for t in seen.trainees if t.enrolment.person_id != p[0].pk}
    assert others == {17}
    assert (seen.required, seen.clause, seen.below) == (Decimal("0.80"), "§21", 30)


def test_a_session_without_sign_in_counts_for_nobody(world: World, started: TrainingClass) -> None:
    services.session_add(
        actor=world.applicant,
        class_id=started.pk,
        held_on=START,
        kind="theory",
        class_hours=10,
        minutes=450,
        recorded_minutes=450,
    )
    seen = selectors.class_attendance(training_class=started)
    assert {t.attended_hours for t in seen.trainees} == {0}
    assert all(t.absent == ("2022-06-06 理论",) for t in seen.trainees)


def test_a_counting_makeup_lifts_the_trainee(world: World, started: TrainingClass, today) -> None:
    p = world.people
    sessions = record_training(world, started, absent={0: [p[0].pk], 1: [p[0].pk]})
    enrolment = started.enrolments.get(person=p[0])
    today(START + dt.timedelta(days=9))
    services.makeup_approve(
        actor=world.hr_a,
        enrolment_id=enrolment.pk,
        session_id=sessions[1].pk,
        completed_on=START + dt.timedelta(days=10),
    )
    (trainee,) = [
        t
        for t in selectors.class_attendance(training_class=started).trainees
        if t.enrolment.pk == enrolment.pk
    ]
    assert (trainee.attended_hours, trainee.makeup_hours, trainee.passed) == (70, 10, True)
    assert "补课 10 学时" in trainee.decision.compared


def test_attendance_facts_take_a_fixed_number_of_queries(
    world: World, started: TrainingClass, django_assert_num_queries: Any
) -> None:
    record_training(world, started, absent={0: [world.people[0].pk]})
    with django_assert_num_queries(5):
        found = facts.attendance_facts(started)
    assert len(found.trainees) == 30 and len(found.sessions) == 8


def test_another_institution_reads_nothing(world: World, started: TrainingClass) -> None:
    with pytest.raises(NotFound):
        selectors.attendance_of(actor=world.other_applicant, training_class=started)
    assert selectors.attendance_of(actor=world.hr_a, training_class=started).trainees


def test_the_class_page_shows_each_trainees_rate_and_why_a_session_is_not_recognised(
    world: World, started: TrainingClass, client: Any
) -> None:
    p = world.people
    sessions = record_training(
        world,
        started,
        plan=[Lesson("theory", 10), Lesson("practical", 10, shows_all_trainees=False)],
        absent={0: [p[0].pk]},
    )
    client.force_login(world.hr_a)
    html = client.get(f"/classes/{started.pk}/").content.decode()
    assert 'data-testid="attendance"' in html
    assert "录像无法显示全体参训人员，当班培训不予认可（§19）" in html
    assert f'data-testid="recognised-{sessions[1].pk}"' in html and "不予认可 0/10" in html
    assert f'data-testid="rate-{p[0].pk}">0.0%<' in html
    assert f'data-testid="rate-{p[1].pk}">12.5%<' in html
    client.force_login(world.other_applicant)
    assert client.get(f"/classes/{started.pk}/").status_code == 404
