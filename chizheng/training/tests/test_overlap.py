"""A person is on one subsidised class at a time, whichever of two overlapping classes
started first (§20(3)); the cooldown alone saw only the earlier-starting one."""

import datetime as dt

import pytest

from chizheng.training import services
from chizheng.training.models import Status

from .conftest import START

pytestmark = pytest.mark.django_db


def _failed(training_class, rule: str) -> list[dict]:
    training_class.refresh_from_db()
    return [d for d in training_class.decisions if d["rule"] == rule and d["outcome"] == "fail"]


def test_a_class_starting_earlier_is_refused_for_a_trainee_of_a_later_overlapping_one(
    world,
) -> None:
    later = world.apply(
        batch="2022-切割-02",
        start_date=START + dt.timedelta(days=10),
        end_date=START + dt.timedelta(days=30),
        roster=world.people[:20],
    )
    services.class_submit(actor=world.applicant, class_id=later.pk)

    earlier = world.apply(roster=world.people[19:39])  # START … START + 20: person 19 on both
    with pytest.raises(services.RulesFailed):
        services.class_submit(actor=world.applicant, class_id=earlier.pk)
    earlier.refresh_from_db()
    assert earlier.status == Status.DRAFT
    (decision,) = _failed(earlier, "trainee.overlap")
    assert decision["clause"] == "§20(3)"
    assert decision["values"]["overlapping"] == ["2022-切割-02"]
    # the cooldown, which looks back only, saw nothing wrong
    assert not _failed(earlier, "trainee.cooldown")
