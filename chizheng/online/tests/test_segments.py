"""Segments: runs of heartbeats of one (learner, session, course, lesson), gap <= 60 s."""

from __future__ import annotations

import pytest

from chizheng.online.tests.logs import Log, segments

pytestmark = pytest.mark.usefixtures("engine")


def test_gap_of_60_s_keeps_one_segment() -> None:
    log = Log().add("face", 0, ok=True).hb(0).hb(60).add("popup", 60, ok=True)
    assert segments(log.audit()) == [("L1", "S1", "C1", 1, 0.0, 60.0, "")]


def test_gap_of_61_s_starts_a_new_segment() -> None:
    log = Log().add("face", 0, ok=True).hb(0).hb(61, pos=61)
    assert [(s[4], s[5]) for s in segments(log.audit())] == [(0.0, 0.0), (61.0, 61.0)]


def test_sessions_and_lessons_are_separate_segments() -> None:
    log = (
        Log()
        .play(0, 120)
        .play(0, 120, session="S2", learner="L2")
        .play(200, 300, lesson=1, course="C2")
    )
    rows = segments(log.audit())
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("L1", "S1", "C1"),
        ("L1", "S1", "C2"),
        ("L2", "S2", "C1"),
    ]


def test_out_of_order_rows_are_ordered_by_ts() -> None:
    log = Log().play(0, 600)
    log.rows.reverse()
    assert segments(log.audit()) == [("L1", "S1", "C1", 1, 0.0, 600.0, "")]


def test_one_row_per_segment_with_ms_times() -> None:
    log = Log().add("face", 0, ok=True).hb(0.25).hb(30.5, pos=30)
    (row,) = log.audit()
    assert set(row) == {"learner", "session", "course", "lesson", "start", "end", "flags"}
    assert (row["end"] - row["start"]).total_seconds() == 30.25


def test_events_outside_segments_belong_to_none() -> None:
    # the popup at 100 s lies in the gap between two segments: it controls neither
    log = Log().add("face", 0, ok=True).hb(0).hb(50).add("popup", 100, ok=True).hb(150, pos=51)
    assert [r[6] for r in segments(log.audit())] == ["", ""]
