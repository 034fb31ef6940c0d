"""A year built in parts (``simulate(limit=N)``, ``chizheng simulate --limit N``): each part
makes at most N classes and then the claims on the classes built so far; the parts together
are the same year as one run — the same classes in the same states, the same claims."""

from __future__ import annotations

import pytest
from django.db import transaction

from chizheng import demo
from chizheng.simulate import run
from chizheng.simulate.tests.books import broken_but_planted
from chizheng.subsidy.models import Claim
from chizheng.training.models import TrainingClass

from .test_simulate import TINY, TODAY

pytestmark = pytest.mark.django_db


class _Undo(Exception):
    pass


def _year() -> tuple[dict[str, str], dict[str, str]]:
    classes = TrainingClass.objects.filter(batch__contains="模拟")
    return (
        dict(classes.values_list("batch", "status")),
        dict(Claim.objects.values_list("training_class__batch", "status")),
    )


def test_a_year_built_in_parts_is_the_year() -> None:
    demo.build(people=5, areas=("registry",))
    try:
        with transaction.atomic():
            first = run.simulate(TINY, year=2022, seed=7, today=TODAY, limit=12)
            assert (first.made, first.skipped) == (12, 0)
            built, claimed = _year()
            assert len(built) == 12 and set(claimed) <= set(built)  # claims on those built
            assert broken_but_planted() == []
            rest = run.simulate(TINY, year=2022, seed=7, today=TODAY)
            assert (rest.made, rest.skipped) == (20, 12)
            in_parts = _year()
            assert broken_but_planted() == []
            raise _Undo
    except _Undo:
        pass
    assert not TrainingClass.objects.filter(batch__contains="模拟").exists()
    whole = run.simulate(TINY, year=2022, seed=7, today=TODAY)
    assert whole.made == 32
    assert _year() == in_parts
