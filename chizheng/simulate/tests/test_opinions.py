"""The simulated year signs 附件2's boxes: every class whose results were entered before
"today" has the HR bureau's opinion on them and a patroller, every class checked during
training the bureau's supervision opinion — none dated after "today", each by the class's
own county bureau — and a resumed run signs nothing twice."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from chizheng import demo
from chizheng.simulate import run
from chizheng.simulate.scale import CLASS_STATES, SLICE, Scale
from chizheng.training.models import Mode, Opinion, Status, TrainingClass

pytestmark = pytest.mark.django_db

TODAY = dt.date(2022, 5, 10)
TINY: Scale = dataclasses.replace(
    SLICE,
    name="tiny-opinions",
    classes_per_county=14,
    trainees=(3, 4),
    states={s: 1 for s in CLASS_STATES} | {"assessed": 6},
    counties=("410402",),
    survey_every=5,
    claim_share=0.5,
)


def test_the_year_signs_the_boxes_of_its_classes() -> None:
    demo.build(people=5, areas=("registry",))
    run.simulate(TINY, year=2022, seed=3, today=TODAY)
    sim = TrainingClass.objects.filter(batch__contains="模拟")
    assessed = sim.filter(status=Status.ASSESSED, assessment__results_entered_on__lt=TODAY)
    assert assessed.exists()
    for k in assessed:
        kinds = {o.kind for o in k.opinions.all()}
        assert {Opinion.Kind.PATROL, Opinion.Kind.RESULTS} <= kinds, k
        # the supervision box follows the check during training; a pure-online class has
        # none (its supervision is the online audit, ``online_logs``)
        if k.mode != Mode.ONLINE:
            assert Opinion.Kind.SUPERVISION in kinds, k
    opinions = Opinion.objects.filter(training_class__in=sim).select_related(
        "author", "training_class__institution"
    )
    assert not opinions.filter(given_on__gt=TODAY).exists()
    for o in opinions.exclude(kind=Opinion.Kind.PATROL):
        assert o.author.county_id == o.training_class.institution.county_id
    assert not opinions.filter(training_class__status=Status.APPROVED).exists()
    before = opinions.count()
    run.simulate(TINY, year=2022, seed=3, today=TODAY)
    assert Opinion.objects.filter(training_class__in=sim).count() == before
