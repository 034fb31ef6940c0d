"""FACE: latest face of the session by start + 60 s passed, and no failed face inside."""

from __future__ import annotations

import pytest

from chizheng.online.tests.logs import Log

pytestmark = pytest.mark.usefixtures("engine")


def _segment(log: Log, start: float = 100, end: float = 400) -> Log:
    return log.play(start, end, face=False)


def test_no_face_check_fails() -> None:
    assert _segment(Log()).flags() == ["FACE"]


def test_face_60_s_after_start_passes() -> None:
    assert _segment(Log()).add("face", 160, ok=True).flags() == [""]


def test_face_61_s_after_start_fails() -> None:
    assert _segment(Log()).add("face", 161, ok=True).flags() == ["FACE"]


def test_earlier_face_of_the_session_counts() -> None:
    assert _segment(Log()).add("face", 0, ok=True, lesson=3).flags() == [""]


def test_face_of_another_session_does_not_count() -> None:
    assert _segment(Log()).add("face", 0, ok=True, session="S2").flags() == ["FACE"]


def test_latest_face_failed_fails() -> None:
    log = _segment(Log()).add("face", 0, ok=True).add("face", 50, ok=False)
    assert log.flags() == ["FACE"]


def test_failed_then_passed_before_grace_passes() -> None:
    log = _segment(Log()).add("face", 50, ok=False).add("face", 150, ok=True)
    assert log.flags() == [""]


def test_failed_face_inside_the_segment_fails() -> None:
    log = (
        _segment(Log()).add("face", 0, ok=True).add("face", 300, ok=False).add("face", 301, ok=True)
    )
    assert log.flags() == ["FACE"]


def test_failed_face_after_the_segment_does_not_count() -> None:
    log = _segment(Log()).add("face", 0, ok=True).add("face", 401, ok=False)
    assert log.flags() == [""]


def test_same_ts_resolved_by_event_id() -> None:
    log = (
        _segment(Log()).add("face", 0, ok=False, event_id=900).add("face", 0, ok=True, event_id=901)
    )
    assert log.flags() == [""]
