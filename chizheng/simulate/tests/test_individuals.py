"""The simulation's individual claims (附件2 备注2): a handful at different states, four from
classes their institutions did not claim and two from training outside the system, each by
its worker's own login, nothing dated after "today", the books balanced."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from chizheng import demo
from chizheng.simulate import individuals, run
from chizheng.simulate.scale import SLICE, Scale
from chizheng.simulate.tests.books import broken_but_planted
from chizheng.subsidy.individual_selectors import my_claims
from chizheng.subsidy.models import Claim, ClaimReview, Disbursement

pytestmark = pytest.mark.django_db

TODAY = dt.date(2022, 5, 10)
SMALL: Scale = dataclasses.replace(
    SLICE,
    name="small",
    classes_per_county=12,
    trainees=(4, 6),
    states={"assessed": 10, "in_training": 1, "approved": 1},
    counties=("410402",),
    claim_share=0.3,
)


def test_a_handful_of_individual_claims_at_their_states() -> None:
    demo.build(people=5, areas=("registry",))
    run.simulate(SMALL, year=2022, seed=11, today=TODAY)
    mine = Claim.objects.filter(applicant_kind="individual")
    assert mine.count() == len(individuals.PLAN)
    assert set(mine.values_list("status", flat=True)) == {t for t, _, _ in individuals.PLAN}
    assert mine.filter(training_class__isnull=True).count() == 2  # trained outside the classes
    for claim in mine.select_related("person"):
        assert claim.bank_account_masked.startswith("6228") and "*" in claim.bank_account_masked
        assert claim.accepted_on is not None and claim.accepted_on <= TODAY
        worker = claim.created_by
        assert worker.person_id == claim.person_id and list(my_claims(actor=worker)) == [claim]
    assert not ClaimReview.objects.filter(claim__in=mine, done_on__gt=TODAY).exists()
    paid = Disbursement.objects.get(claim__in=mine)
    assert paid.paid_on <= TODAY and paid.payee_account_masked
    assert broken_but_planted() == []
    # resuming adds nothing
    run.simulate(SMALL, year=2022, seed=11, today=TODAY)
    assert Claim.objects.filter(applicant_kind="individual").count() == len(individuals.PLAN)
