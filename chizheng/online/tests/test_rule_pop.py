"""POP: start, end and answered popups of the segment; neighbours at most 300 s apart."""

from __future__ import annotations

import pytest

from chizheng.online.tests.logs import Log

pytestmark = pytest.mark.usefixtures("engine")


def _segment(log: Log, end: float) -> Log:
    return log.play(0, end, popups=False)


def test_segment_of_300_s_without_popup_passes() -> None:
    assert _segment(Log(), 300).flags() == [""]


def test_segment_of_301_s_without_popup_fails() -> None:
    assert _segment(Log(), 301).flags() == ["POP"]


def test_popup_gap_of_300_s_passes() -> None:
    log = _segment(Log(), 900).add("popup", 300, ok=True).add("popup", 600, ok=True)
    assert log.flags() == [""]


def test_popup_gap_of_301_s_fails() -> None:
    log = _segment(Log(), 900).add("popup", 299, ok=True).add("popup", 600, ok=True)
    assert log.flags() == ["POP"]


def test_unanswered_popup_controls_nothing() -> None:
    log = _segment(Log(), 600).add("popup", 300, ok=False)
    assert log.flags() == ["POP"]


def test_popup_of_another_session_or_lesson_does_not_count() -> None:
    log = _segment(Log(), 600).add("popup", 300, ok=True, session="S2")
    log.add("popup", 300, ok=True, lesson=2)
    assert log.flags() == ["POP"]


def test_popup_at_segment_end_belongs_to_it() -> None:
    log = _segment(Log(), 600).add("popup", 300, ok=True).add("popup", 600, ok=True)
    assert log.flags() == [""]
