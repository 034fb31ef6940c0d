"""Only valid time counts: credited class hours and void segments with their clause."""

from __future__ import annotations

import datetime as dt

from chizheng.online import audit
from chizheng.online.results import by_learner_course, by_platform, void_segments
from chizheng.online.tests.logs import Log

AT = dt.date(2022, 6, 1)


def _result() -> Log:
    log = Log()
    log.play(0, 5400).add("done", 5401)  # valid, 1.5 class hours
    log.play(6000, 8700, lesson=2)  # valid, one full class hour
    log.add("done", 8701, lesson=2)
    log.play(9000, 9600, lesson=3, rate=1.5)  # void: FF
    return log


def test_only_valid_time_is_credited() -> None:
    rows = by_learner_course(audit.audit(_result().table()), at=AT).to_pylist()
    assert rows == [
        {
            "learner": "L1",
            "course": "C1",
            "valid_s": 8100.0,
            "void_s": 600.0,
            "segments": 3,
            "void_segments": 1,
            "credited_class_hours": 3,
        }
    ]


def test_void_segments_name_the_rule_and_clause() -> None:
    (seg,) = void_segments(audit.audit(_result().table()), learner="L1", at=AT)
    assert seg.lesson == 3
    assert seg.rules == (("FF", "快进播放", "§20(3)"),)
    assert void_segments(audit.audit(_result().table()), learner="L2", at=AT) == []


def test_platform_shares_of_void_time() -> None:
    log = Log(platform="PA").play(0, 900).play(1000, 1300, lesson=2)  # SEQ: 300 of 1200 s
    other = Log(platform="PB")
    other.play(0, 600, learner="L2", session="S9", rate=2.0)
    log.rows += other.rows
    rows = by_platform(audit.audit(log.table()), log.table()).to_pylist()
    assert [(r["platform"], r["valid_s"], r["void_s"]) for r in rows] == [
        ("PA", 900.0, 300.0),
        ("PB", 0.0, 600.0),
    ]
    assert rows[0]["void_share"] == 0.25 and rows[0]["share_seq"] == 0.25
    assert rows[1]["share_ff"] == 1.0 and rows[1]["share_pop"] == 0.0
