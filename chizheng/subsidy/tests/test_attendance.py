"""What is trained is what is paid (§19, §21): a trainee below the attendance rate is paid
nothing; a session whose recording fails §19 counts for nobody; an approved makeup done
before the final assessment counts; credited online hours count, void online time does not.

The default class: 80 class hours (30 theory, 50 practical) in eight sessions of 10 class
hours, one a day from its start; the rate in force is 80% (64 class hours).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from chizheng.accounts.models import Role
from chizheng.core import clock
from chizheng.subsidy import calculation, services
from chizheng.subsidy.models import Claim
from chizheng.training import facts as training_facts
from chizheng.training import services as training
from chizheng.training.models import Session, TrainingClass
from chizheng.training.tests.conftest import START, Lesson, World, lessons

from .conftest import CLAIM_DAY, HELD, assess
from .online import catalog_platform, study_online

pytestmark = pytest.mark.django_db

LEVEL_4 = Decimal("1600.00")


def _claim(w: World, training_class: TrainingClass) -> Claim:
    with clock.freeze(CLAIM_DAY):
        return services.claim_calculate(actor=w.applicant, class_id=training_class.pk)


def _line(claim: Claim, person_id: int) -> Any:
    return claim.lines.get(person_id=person_id)


def _inputs(claim: Claim, person_id: int) -> dict[str, Any]:
    (t,) = [t for t in claim.calculation["inputs"]["trainees"] if t["person_id"] == person_id]
    return t


def test_a_trainee_absent_from_enough_sessions_is_paid_nothing(world: World) -> None:
    p = world.people
    # p[0] misses two sessions (60/80 = 75%), p[1] one (70/80 = 87.5%)
    training_class = assess(world, absent={0: [p[0].pk, p[1].pk], 4: [p[0].pk]})
    claim = _claim(world, training_class)
    short = _line(claim, p[0].pk)
    assert (short.amount, short.payable) == (Decimal("0.00"), False)
    assert short.reason == "到课率 75.0% 低于 80.0%（§21）"
    assert short.certificate_id is not None  # certified, and still not paid
    assert _inputs(claim, p[0].pk)["attendance"] == {
        "rate": "0.750",
        "required": "0.800",
        "attended_hours": 60,
        "class_hours": 80,
        "online_hours": 0,
        "makeup_hours": 0,
        "unrecognised_sessions": 0,
        "clause": "§21",
    }
    one_missed = _line(claim, p[1].pk)
    assert one_missed.payable and one_missed.amount == LEVEL_4
    assert _inputs(claim, p[1].pk)["attendance"]["attended_hours"] == 70
    assert claim.persons == 27 and claim.amount == 27 * LEVEL_4  # 28 certified, one short
    assert calculation.recompute(claim.calculation)


def test_a_void_recording_reduces_the_claim(world: World) -> None:
    """A practical session recorded too short in 7 of its 10 class hours: everyone loses
    those hours, and a trainee who missed one other session falls below the rate."""
    p = world.people
    plan = lessons()
    plan[3] = Lesson("practical", 10, short_hours=7)
    training_class = assess(world, lessons=plan, absent={0: [p[0].pk]})
    claim = _claim(world, training_class)
    line = _line(claim, p[0].pk)
    assert not line.payable and line.reason == "到课率 78.7% 低于 80.0%（§21）"  # 63/80
    attendance = _inputs(claim, p[0].pk)["attendance"]
    assert (attendance["attended_hours"], attendance["unrecognised_sessions"]) == (63, 1)
    assert _inputs(claim, p[2].pk)["attendance"]["attended_hours"] == 73  # all lose 7 hours
    assert _line(claim, p[2].pk).payable
    assert claim.persons == 27
    # the reviewers still see the failing recording rule with the claim
    assert any(
        d["rule"] == "evidence.practical_recording" for d in claim.calculation["inputs"]["evidence"]
    )


def test_an_approved_makeup_before_the_final_assessment_counts_a_late_or_unapproved_one_not(
    world: World,
) -> None:
    """p[0], p[1], p[2] each miss sessions 0 and 4 (60/80) and make up session 4: p[0] with
    approval beforehand and before the assessment (70/80, paid); p[1] on the assessment day
    (approved, but late); p[2] approved only the day after it was done."""
    p = world.people
    trio = [x.pk for x in p[:3]]

    def makeups(training_class: TrainingClass, sessions: list[Session]) -> None:
        enrolment = {e.person_id: e.pk for e in training_class.enrolments.all()}
        done = START + dt.timedelta(days=10)
        for person, approved_on, completed_on in (
            (p[0], START + dt.timedelta(days=9), done),
            (p[1], START + dt.timedelta(days=9), HELD),
            (p[2], done + dt.timedelta(days=1), done),
        ):
            with clock.freeze(approved_on):
                training.makeup_approve(
                    actor=world.hr_a,
                    enrolment_id=enrolment[person.pk],
                    session_id=sessions[4].pk,
                    completed_on=completed_on,
                )

    training_class = assess(world, absent={0: trio, 4: trio}, during=makeups)
    claim = _claim(world, training_class)
    made_up = _line(claim, p[0].pk)
    assert made_up.payable and made_up.amount == LEVEL_4
    assert _inputs(claim, p[0].pk)["attendance"]["makeup_hours"] == 10
    assert _inputs(claim, p[0].pk)["attendance"]["attended_hours"] == 70
    for late in (p[1], p[2]):
        line = _line(claim, late.pk)
        assert not line.payable and line.reason == "到课率 75.0% 低于 80.0%（§21）"
        assert _inputs(claim, late.pk)["attendance"]["makeup_hours"] == 0


@pytest.fixture
def online_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "online"
    monkeypatch.setenv("CHIZHENG_ONLINE_DIR", str(path))
    return path


def test_credited_online_hours_count_and_void_time_does_not(
    world: World, online_dir: Path, make_user: Any
) -> None:
    """A blended class, 8 of its 80 class hours online: p[0] and p[1] each miss one offline
    session (62 of the 72 offline hours); p[0] studies 8 class hours online validly
    (70/80, paid), p[1] as long but fast-forwarded, void (62/80, not paid)."""
    p = world.people
    office = make_user(Role.PROGRAMME_OFFICE)
    platform = catalog_platform(world, office, make_user)
    with clock.freeze(dt.date(2022, 5, 20)):
        approved = world.approved(mode="blended", platform_id=platform.pk, online_theory_hours=8)
    credited = study_online(
        office=office, training_class=approved, valid={p[0].pk: 8}, void={p[1].pk: 8}
    )
    assert (credited[p[0].pk], credited[p[1].pk]) == (8, 0)

    # 72 offline hours: 22 of theory, 50 practical
    training_class = assess(world, training_class=approved, absent={0: [p[0].pk, p[1].pk]})
    claim = _claim(world, training_class)
    valid = _inputs(claim, p[0].pk)["attendance"]
    assert (valid["online_hours"], valid["attended_hours"]) == (8, 70)
    assert _line(claim, p[0].pk).payable
    void = _inputs(claim, p[1].pk)["attendance"]
    assert (void["online_hours"], void["attended_hours"]) == (0, 62)
    assert _line(claim, p[1].pk).reason == "到课率 77.5% 低于 80.0%（§21）"
    # the others attended every offline session but studied nothing online: 72/80
    assert _inputs(claim, p[2].pk)["attendance"]["attended_hours"] == 72


def test_an_overlap_that_appeared_after_submission_is_found_at_the_claim(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """§20(3) asked again at the claim. Rosters are frozen from submission and a submission
    refuses an overlap, so one appears afterwards only when two submissions cross (each
    judged before the other was written) or records are corrected by hand. Here the other
    class's submission is judged without seeing this one, as in such a race; this claim
    then pays the trainee on both classes nothing."""
    p = world.people
    training_class = assess(world)
    with clock.freeze(dt.date(2022, 5, 25)), monkeypatch.context() as race:
        later = world.apply(
            batch="2022-切割-02",
            start_date=START + dt.timedelta(days=7),
            end_date=START + dt.timedelta(days=27),
            roster=[p[0], *p[30:39]],
        )
        race.setattr(training_facts, "_history", lambda people, exclude_class: {})
        training.class_submit(actor=world.applicant, class_id=later.pk)
    claim = _claim(world, training_class)
    clash = _line(claim, p[0].pk)
    assert (clash.amount, clash.payable) == (Decimal("0.00"), False)
    assert clash.reason == (
        f"与补贴培训 2022-切割-02（{START + dt.timedelta(days=7)} 至 "
        f"{START + dt.timedelta(days=27)}）的培训期重叠（§20(3)）"
    )
    assert _inputs(claim, p[0].pk)["overlap"] == clash.reason
    assert _inputs(claim, p[1].pk)["overlap"] == ""
    assert _line(claim, p[1].pk).payable  # the others are untouched
    assert claim.persons == 27 and claim.amount == 27 * LEVEL_4
    assert calculation.recompute(claim.calculation)
