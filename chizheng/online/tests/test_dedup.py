"""A row whose (platform, event_id) was seen before is ignored."""

from __future__ import annotations

import pytest

from chizheng.online.tests.logs import Log

pytestmark = pytest.mark.usefixtures("engine")


def test_duplicate_event_is_counted_once() -> None:
    # the duplicate of the heartbeat at 30 s carries a fast rate; it must be ignored
    log = Log().play(0, 120)
    first = next(r for r in log.rows if r["kind"] == "hb" and r["ts"].second == 30)
    log.rows.append({**first, "rate": 2.0})
    assert log.flags() == [""]


def test_same_event_id_on_another_platform_is_another_event() -> None:
    log = Log().play(0, 120)
    first = next(r for r in log.rows if r["kind"] == "hb" and r["ts"].second == 30)
    log.rows.append({**first, "platform": "P2", "rate": 2.0})
    assert log.flags() == ["FF"]


def test_resent_log_gives_the_same_result() -> None:
    log = Log().play(0, 900).play(1000, 1500, lesson=2)
    once = log.audit()
    log.rows = log.rows + log.rows
    assert log.audit() == once
