"""Risk on a simulated year after its scan: every institution a finding names is scored with
the findings behind it adding up to its score, the institution of the planted irregularities
ranks above the clean ones, and the day's inspection plan puts the riskiest class first."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from chizheng import demo
from chizheng.accounts.models import Role
from chizheng.core import clock
from chizheng.simulate import run
from chizheng.simulate.models import Planted
from chizheng.supervision import risk, services
from chizheng.supervision.models import Finding
from chizheng.supervision.tests.test_scan_simulated import TINY, TODAY
from chizheng.training import selectors as training

pytestmark = pytest.mark.django_db


def test_the_scanned_year_ranks_the_planted_institutions(make_user: Any) -> None:
    demo.build(people=5, areas=("registry",))
    run.simulate(TINY, year=2022, seed=7, today=TODAY)
    services.scan(year=2022)
    office = make_user(Role.PROGRAMME_OFFICE)
    with clock.freeze(TODAY):
        ranked = risk.risk_ranking(actor=office, year=2022, subject_kind="institution")
        named = {
            s["id"]
            for f in Finding.objects.filter(year=2022)
            for s in f.subjects
            if s["kind"] == "institution"
        } | set(Finding.objects.exclude(institution=None).values_list("institution_id", flat=True))
        assert {r.institution.pk for r in ranked} == named
        for r in ranked:
            assert r.risk.score == sum((c.points for c in r.risk.contributions), Decimal(0))
        planted = set(
            Planted.objects.filter(year=2022).values_list(
                "training_class__institution_id", flat=True
            )
        )
        assert planted and ranked[0].institution.pk in planted
        assert [r.risk.score for r in ranked] == sorted(
            (r.risk.score for r in ranked), reverse=True
        )
        plan = training.inspection_plan(actor=office, on=TODAY)
        chosen = [i for i in plan if i.chosen]
        if chosen:  # the classes needing a visit that day, the riskiest first
            assert chosen[0].risk == max(i.risk for i in chosen)
            scores = risk.institution_scores(actor=office, on=TODAY)
            assert all(
                i.risk == scores.get(i.training_class.institution_id, Decimal(0)) for i in plan
            )
