"""The online classes' learning logs: uploaded through the platform's ingest, audited, and
the audit's valid time credited to each trainee — the hours his attendance and his claim
line count; planted fast-forward and multi-window lessons are void, and the trainee who
lost them is paid 0 with the reason. Nothing is dated after "today"; a second run stores
nothing new."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from chizheng import demo
from chizheng.online import config, results
from chizheng.online.models import OnlineLearner
from chizheng.simulate import online_logs, record_plants, run
from chizheng.simulate.models import Planted
from chizheng.simulate.tests.books import broken_but_planted
from chizheng.subsidy.models import Claim, ClaimLine
from chizheng.training.models import Mode, Status, TrainingClass

from .test_simulate import TINY, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def year() -> run.Summary:
    demo.build(people=5, areas=("registry",))
    return run.simulate(TINY, year=2022, seed=7, today=TODAY)


def _stored() -> pa.Table:
    return pa.concat_tables(pq.read_table(f) for f in config.store().files())


def test_credited_hours_come_from_the_audited_logs(year: run.Summary) -> None:
    pure = list(TrainingClass.objects.filter(batch__contains="模拟线上", mode=Mode.ONLINE))
    assert pure and all(c.status == Status.ASSESSED for c in pure)  # on to certificates
    result = pq.read_table(config.latest_result())
    re_audited = {
        s["id"]
        for p in Planted.objects.filter(kind=Planted.Kind.VOIDED_ONLINE_CLAIMED)
        for s in p.subjects
        if s["kind"] == "person"
    }
    per = {
        (r["learner"], r["course"]): r
        for r in results.by_learner_course(result, at=dt.date(2022, 3, 14)).to_pylist()
    }
    for c in pure:
        learners = list(
            OnlineLearner.objects.filter(enrolment__training_class=c).order_by("enrolment_id")
        )
        course = online_logs.course_key(c.batch)
        for row in learners:  # every trainee's hours are the audit's, nothing else
            assert row.credited_hours == per[(row.learner_key, course)]["credited_class_hours"]
            assert row.audited_at is not None
        *valid, ff, mw = learners
        # a planted re-sent batch (record_plants) voids two of one valid trainee's lessons
        valid = [row for row in valid if row.enrolment.person_id not in re_audited]
        for row in learners:
            if row.enrolment.person_id in re_audited:
                assert row.credited_hours == c.class_hours - record_plants.VOIDED_HOURS
        assert {row.credited_hours for row in valid} == {c.class_hours}  # 60 lessons, all valid
        assert not any(row.void_segments for row in valid)
        for row in (ff, mw):
            assert row.credited_hours == c.class_hours - online_logs.VOIDED
            assert row.void_segments >= online_logs.VOIDED
        flags = {
            learner: set(
                ",".join(
                    result.filter(pc.equal(result["learner"], learner))["flags"].to_pylist()
                ).split(",")
            )
            for learner in (ff.learner_key, mw.learner_key)
        }
        assert "FF" in flags[ff.learner_key] and "MW" in flags[mw.learner_key]
        # the claim reads those hours: a valid trainee paid, the voided ones paid 0 with why
        claim = Claim.objects.get(training_class=c)
        lines = {x.person_id: x for x in ClaimLine.objects.filter(claim=claim)}
        ok = lines[valid[0].enrolment.person_id]
        assert ok.payable and ok.amount > 0
        for row in (ff, mw):
            line = lines[row.enrolment.person_id]
            assert not line.payable and line.amount == 0
            assert "到课率" in line.reason and "§21" in line.reason
        inputs = {t["person_id"]: t for t in claim.calculation["inputs"]["trainees"]}
        assert inputs[ff.enrolment.person_id]["attendance"]["online_hours"] == 44
        assert inputs[valid[0].enrolment.person_id]["attendance"]["online_hours"] == 60
    blended = OnlineLearner.objects.filter(enrolment__training_class__mode=Mode.BLENDED)
    assert blended.filter(credited_hours__gt=0).exists()
    assert blended.filter(void_segments__gt=0).exists()
    assert broken_but_planted() == []


def test_nothing_after_today_and_a_second_run_stores_nothing(year: run.Summary) -> None:
    events = _stored()
    assert pc.max(events["ts"]).as_py().date() < TODAY
    before = events.num_rows
    credited = sorted(OnlineLearner.objects.values_list("pk", "credited_hours"))
    run.simulate(TINY, year=2022, seed=7, today=TODAY)
    assert _stored().num_rows == before
    assert sorted(OnlineLearner.objects.values_list("pk", "credited_hours")) == credited
