"""The plan's demo records: loaded once, consistent with the tally, and idempotent."""

from __future__ import annotations

import random

import pytest

from chizheng.assessment.models import Certificate
from chizheng.demo import plan as demo
from chizheng.org.models import City
from chizheng.plan.models import CertificateTally, Plan
from chizheng.plan.tally import certificate_counts, tally_read


def test_demo_is_idempotent_and_counted(city: City, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "MONTHS_RECORDED", 1)  # January only: a twelfth of the work
    demo.build(rng=random.Random(1))
    n = Certificate.objects.count()
    assert n > 10_000
    assert Certificate.objects.filter(issued_on__month__gt=1).count() == 0
    assert set(Certificate.objects.values_list("county__order", flat=True).distinct()) == set(
        range(1, 13)
    )
    live = certificate_counts(Certificate.objects.all())
    assert tally_read(CertificateTally.objects.all()) == live
    demo.build(rng=random.Random(2))
    assert Certificate.objects.count() == n
    assert Plan.objects.count() == 1
