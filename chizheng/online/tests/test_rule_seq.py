"""SEQ: lesson k needs a done of every lesson j < k with ts <= the segment's start."""

from __future__ import annotations

import pytest

from chizheng.online.tests.logs import Log

pytestmark = pytest.mark.usefixtures("engine")


def test_first_lesson_needs_nothing() -> None:
    assert Log().play(0, 120).flags() == [""]


def test_done_at_start_passes() -> None:
    log = Log().play(0, 120).add("done", 200).play(200, 300, lesson=2)
    assert log.flags() == ["", ""]


def test_done_after_start_fails() -> None:
    log = Log().play(0, 120).add("done", 200.001).play(200, 300, lesson=2)
    assert log.flags() == ["", "SEQ"]


def test_every_earlier_lesson_must_be_done() -> None:
    log = Log().add("done", 10, lesson=2).play(100, 200, lesson=3)
    assert log.flags() == ["SEQ"]
    log = Log().add("done", 10, lesson=1).add("done", 10, lesson=2).play(100, 200, lesson=3)
    assert log.flags() == [""]


def test_done_of_another_course_or_learner_does_not_count() -> None:
    log = Log().add("done", 10, course="C2").add("done", 10, learner="L2").play(100, 200, lesson=2)
    assert log.flags() == ["SEQ"]


def test_done_from_any_session_counts() -> None:
    log = Log().add("done", 10, session="S9").play(100, 200, lesson=2)
    assert log.flags() == [""]
