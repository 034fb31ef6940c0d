"""MW: a segment overlapping (for more than 0 s) a segment of the learner's other session."""

from __future__ import annotations

import pytest

from chizheng.online.tests.logs import Log

pytestmark = pytest.mark.usefixtures("engine")


def test_overlap_flags_both_segments() -> None:
    log = Log().play(0, 600).play(300, 900, session="S2", course="C2")
    assert log.flags() == ["MW", "MW"]


def test_touching_segments_do_not_overlap() -> None:
    log = Log().play(0, 600).play(600, 900, session="S2", course="C2")
    assert log.flags() == ["", ""]


def test_overlap_of_one_ms_counts() -> None:
    log = Log().play(0, 600).play(599.999, 900, session="S2", course="C2")
    assert log.flags() == ["MW", "MW"]


def test_same_session_never_overlaps_itself() -> None:
    log = Log().play(0, 600).play(0, 600, course="C2")
    assert log.flags() == ["", ""]


def test_other_learners_do_not_count() -> None:
    log = Log().play(0, 600).play(0, 600, learner="L2", session="S2")
    assert log.flags() == ["", ""]


def test_zero_length_segment_overlaps_nothing() -> None:
    log = Log().play(0, 600).play(300, 300, session="S2", course="C2")
    assert log.flags() == ["", ""]


def test_segment_inside_a_long_one_and_a_third_session() -> None:
    log = (
        Log()
        .play(0, 3000)
        .play(100, 200, session="S2", course="C2")
        .play(1000, 1100, session="S3", course="C3")
        .play(3500, 3600, session="S4", course="C4")
    )
    assert log.flags() == ["MW", "MW", "MW", ""]


def test_overlap_hidden_behind_a_same_session_segment_is_found() -> None:
    # S1 has two overlapping segments (two courses); S2 overlaps only the second one
    log = (
        Log().play(0, 1000).play(500, 2000, course="C2").play(1500, 1800, session="S2", course="C3")
    )
    assert log.flags() == ["", "MW", "MW"]
