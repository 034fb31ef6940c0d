"""A drawn class is not applied for while its institution is suspended (§19 stops 提交开班申请):
its dates move, whole, after the suspension (or before it when after would pass "today"),
once the class's draws are made and without drawing — the rest of the year is drawn the
same. Found by the city-scale run, whose year crosses the demo's June suspension."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from chizheng.simulate.classes import DURATION
from chizheng.simulate.run import _applied_outside, _dates
from chizheng.training.models import Status

BLOCK = (dt.date(2022, 6, 6), dt.date(2022, 7, 5))
TODAY = dt.date(2022, 12, 20)


@pytest.mark.parametrize("today", [TODAY, dt.date(2022, 7, 20)])
def test_neither_the_application_nor_the_training_falls_in_a_suspension(today) -> None:
    lo, hi = BLOCK
    moved = 0
    for seed in range(400):
        start, submitted = _dates(random.Random(seed), Status.ASSESSED, 2022, today, [BLOCK])
        new_start, new_submitted = _applied_outside(start, submitted, today, [BLOCK])
        moved += (new_start, new_submitted) != (start, submitted)
        assert not lo <= new_submitted <= hi, seed
        assert new_start + dt.timedelta(days=DURATION) < lo or new_start > hi, seed
        assert new_start - new_submitted == start - submitted  # the same lead
        assert new_start + dt.timedelta(days=DURATION + 6) <= today, seed  # still assessed
    assert moved > 0 or today != TODAY  # on July 20 the draws already keep clear


def test_moving_draws_nothing() -> None:
    rng = random.Random(3)
    state = rng.getstate()
    _applied_outside(dt.date(2022, 7, 1), dt.date(2022, 6, 10), TODAY, [BLOCK])
    assert rng.getstate() == state


def test_before_the_suspension_when_after_would_pass_today() -> None:
    start, submitted = _applied_outside(
        dt.date(2022, 7, 1), dt.date(2022, 6, 10), dt.date(2022, 7, 20), [BLOCK]
    )
    assert start + dt.timedelta(days=DURATION) < BLOCK[0]
    assert start - submitted == dt.timedelta(days=21)
