"""FF: rate above max_rate, or position ahead of reach + tolerance + elapsed × max_rate."""

from __future__ import annotations

import pytest

from chizheng.online.tests.logs import Log

pytestmark = pytest.mark.usefixtures("engine")


def test_rate_1_0_passes() -> None:
    assert Log().play(0, 300, rate=1.0).flags() == [""]


def test_rate_1_01_fails() -> None:
    log = Log().play(0, 300).hb(330, rate=1.01)
    assert log.flags() == ["FF"]


def test_position_at_reach_plus_tolerance_plus_elapsed_passes() -> None:
    # reach 60 after the hb at 60 s; next hb 30 s later may be at 60 + 5 + 30 = 95
    log = Log().play(0, 60).hb(90, pos=95)
    assert log.flags() == [""]


def test_position_just_beyond_the_limit_fails() -> None:
    log = Log().play(0, 60).hb(90, pos=95.001)
    assert log.flags() == ["FF"]


def test_first_heartbeat_of_a_segment_has_no_elapsed_time() -> None:
    # a new session of the same attempt resumes at reach (60) + 5 at most
    log = Log().play(0, 60).play(1000, 1000, session="S2", pos0=65)
    assert log.flags() == ["", ""]
    log = Log().play(0, 60).play(1000, 1000, session="S2", pos0=66)
    assert log.flags() == ["", "FF"]


def test_reach_counts_every_session_of_the_attempt() -> None:
    # watched up to 600 in S1, so S2 may start from 600 (not from 0)
    log = Log().play(0, 600).play(2000, 2300, session="S2", pos0=600)
    assert log.flags() == ["", ""]


def test_reach_is_per_lesson_attempt() -> None:
    log = Log().play(0, 600).play(2000, 2300, session="S2", lesson=2, pos0=600)
    assert "FF" in log.flags()[1]


def test_skipping_back_and_rewatching_is_allowed() -> None:
    log = Log().play(0, 300).play(300, 600, pos0=0)
    assert log.flags() == [""]


def test_first_heartbeat_of_an_attempt_starts_from_zero() -> None:
    assert Log().play(0, 60, pos0=5).flags() == [""]
    assert Log().play(0, 60, pos0=6).flags() == ["FF"]


def test_jump_back_then_forward_within_reach_passes() -> None:
    # the previous heartbeat is far behind, but reach (900) allows the jump forward
    log = Log().play(0, 900).hb(930, pos=100).hb(960, pos=905)
    assert log.flags() == [""]


def test_resuming_in_a_new_session_concurrently_with_another() -> None:
    # S2 starts at S1's reach while S1 still plays: only the position rule is at stake
    log = Log().play(0, 600).play(300, 400, session="S2", pos0=300)
    assert log.flags() == ["MW", "MW"]
    log = Log().play(0, 600).play(300, 400, session="S2", pos0=306)
    assert log.flags() == ["MW", "FF,MW"]
