"""The dates of a drawn class keep clear of its institution's suspension (§19 stops it
applying for classes): neither its training nor its application falls inside. Found by the
city-scale run, whose year crosses the demo's June suspension."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from chizheng.simulate.classes import DURATION
from chizheng.simulate.run import _dates
from chizheng.training.models import Status

BLOCK = (dt.date(2022, 6, 6), dt.date(2022, 7, 5))
TODAY = dt.date(2022, 12, 20)


@pytest.mark.parametrize("state", [Status.ASSESSED, Status.ASSESSMENT_REGISTERED])
def test_neither_the_training_nor_the_application_falls_in_a_suspension(state: str) -> None:
    lo, hi = BLOCK
    moved = 0
    for seed in range(400):
        start, submitted = _dates(random.Random(seed), state, 2022, TODAY, [BLOCK])
        end = start + dt.timedelta(days=DURATION)
        assert not (lo <= submitted <= hi), (seed, submitted)
        assert end < lo or start > hi, (seed, start)
        assert submitted < start <= TODAY
        free_start, _ = _dates(random.Random(seed), state, 2022, TODAY, [])
        moved += free_start != start
    assert state != Status.ASSESSED or moved > 0  # the block did move some
