"""Training: schedule, sign-in, recordings, inspections and makeups (§19, §21, 附件2 过程监管)."""

import datetime as dt
from decimal import Decimal

import pytest

from chizheng.core.errors import PermissionDenied, ValidationError
from chizheng.training import services
from chizheng.training.models import Attendance, Status
from chizheng.training.tests.conftest import START
from chizheng.training.workflow import TransitionRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(world, today):
    training_class = world.approved()
    today(START)
    services.class_start(actor=world.applicant, class_id=training_class.pk)
    training_class.refresh_from_db()
    return training_class


def test_a_class_cannot_start_before_its_start_date(world) -> None:
    training_class = world.approved()
    with pytest.raises(ValidationError, match="尚未到开班日期"):
        services.class_start(actor=world.applicant, class_id=training_class.pk)


def test_each_class_hour_lasts_the_policy_minimum(world, started) -> None:
    with pytest.raises(ValidationError, match=r"每课时不低于40分钟（§20\(1\)）"):
        services.session_add(
            actor=world.applicant,
            class_id=started.pk,
            held_on=START,
            kind="theory",
            class_hours=2,
            minutes=79,
        )
    s = services.session_add(
        actor=world.applicant,
        class_id=started.pk,
        held_on=START,
        kind="theory",
        class_hours=2,
        minutes=80,
        recorded_minutes=80,
    )
    assert s.pk


def test_sign_in_records_every_trainee_once(world, started) -> None:
    s = services.session_add(
        actor=world.applicant,
        class_id=started.pk,
        held_on=START,
        kind="practical",
        class_hours=2,
        minutes=90,
        recorded_minutes=40,
        longest_continuous=[20, 18],
    )
    people = [e.person_id for e in started.enrolments.all()]
    assert (
        services.attendance_record(
            actor=world.applicant, session_id=s.pk, present_person_ids=people[:25]
        )
        == 25
    )
    services.attendance_record(
        actor=world.applicant, session_id=s.pk, present_person_ids=people[:27]
    )
    assert Attendance.objects.filter(session=s).count() == 30
    assert Attendance.objects.filter(session=s, present=True).count() == 27
    with pytest.raises(ValidationError, match="不在本班名册"):
        services.attendance_record(
            actor=world.applicant, session_id=s.pk, present_person_ids=[world.people[35].pk]
        )


def test_average_present_comes_from_the_inspections(world, started) -> None:
    services.inspection_record(
        actor=world.inspector,
        class_id=started.pk,
        kind="opening",
        held_on=START,
        place="实训车间",
        present=30,
        signed_in=30,
        teachers_present=2,
    )
    services.inspection_record(
        actor=world.inspector,
        class_id=started.pk,
        kind="during",
        held_on=START + dt.timedelta(days=7),
        place="实训车间",
        present=27,
        signed_in=28,
        teachers_present=2,
    )
    started.refresh_from_db()
    assert (started.average_present, started.trained) == (
        Decimal("27.00"),
        27,
    )  # §21: during training
    report = services.evidence_report(training_class=started)
    trained = next(d for d in report.decisions if d.rule == "attendance.trained")
    assert trained.clause == "§21"
    # 28 signed in with 27 present: flagged for review, the trained count stands at 27
    flag = next(d for d in report.decisions if d.rule == "attendance.sign_in_matches")
    assert flag.outcome == "warn" and "签到 28 人 > 在位 27 人" in flag.compared
    assert trained.values["trained"] == 27


def test_an_opening_inspection_is_on_the_opening_day(world, started) -> None:
    with pytest.raises(ValidationError, match="开班当日检查的日期应为开班日"):
        services.inspection_record(
            actor=world.inspector,
            class_id=started.pk,
            kind="opening",
            held_on=START + dt.timedelta(days=1),
            place="x",
            present=1,
            signed_in=1,
            teachers_present=1,
        )


def test_only_inspectors_record_inspections(world, started) -> None:
    with pytest.raises(PermissionDenied):
        services.inspection_record(
            actor=world.applicant,
            class_id=started.pk,
            kind="during",
            held_on=START,
            place="x",
            present=1,
            signed_in=1,
            teachers_present=1,
        )


def test_a_practical_session_without_enough_continuous_recording_is_void(world, started) -> None:
    services.session_add(
        actor=world.applicant,
        class_id=started.pk,
        held_on=START,
        kind="practical",
        class_hours=2,
        minutes=90,
        recorded_minutes=40,
        longest_continuous=[20, 14],
    )
    report = services.evidence_report(training_class=started)
    practical = next(d for d in report.decisions if d.rule == "evidence.practical_recording")
    assert practical.failed and practical.clause == "§19"


def test_a_makeup_counts_only_before_the_final_assessment(world, started, today) -> None:
    s = services.session_add(
        actor=world.applicant,
        class_id=started.pk,
        held_on=START,
        kind="theory",
        class_hours=2,
        minutes=90,
        recorded_minutes=90,
    )
    enrolment = started.enrolments.first()
    with pytest.raises(PermissionDenied):
        services.makeup_approve(
            actor=world.applicant,
            enrolment_id=enrolment.pk,
            session_id=s.pk,
            completed_on=START + dt.timedelta(days=2),
        )
    m = services.makeup_approve(
        actor=world.hr_a,
        enrolment_id=enrolment.pk,
        session_id=s.pk,
        completed_on=START + dt.timedelta(days=2),
    )
    assert m.approved_by == world.hr_a


def test_process_records_need_a_class_in_training(world) -> None:
    training_class = world.approved()
    assert training_class.status == Status.APPROVED
    with pytest.raises(TransitionRefused):
        services.session_add(
            actor=world.applicant,
            class_id=training_class.pk,
            held_on=START,
            kind="theory",
            class_hours=1,
            minutes=45,
        )
