"""The registry demo builds on the base demo's institutions and is idempotent."""

from __future__ import annotations

import random

import pytest

from chizheng.demo import INSTITUTIONS
from chizheng.demo import registry as demo
from chizheng.org.models import City, County, Department
from chizheng.registry.models import (
    CatalogEntry,
    Institution,
    Person,
    Sanction,
    Teacher,
    Workstation,
)

pytestmark = pytest.mark.django_db


def test_build_twice_changes_nothing(city: City) -> None:
    for n, (name, kind, county, dept) in enumerate(INSTITUTIONS):
        Institution.objects.create(
            name=name,
            kind=kind,
            county=County.objects.get(code=county),
            department=Department.objects.get(code=dept),
            credit_code=f"91410400BASE{n:06d}",
        )
    demo.build(rng=random.Random("2022-registry"))
    counts = [
        m.objects.count()
        for m in (Institution, CatalogEntry, Teacher, Workstation, Person, Sanction)
    ]
    assert counts[1] > 30 and counts[2] > 40 and counts[4] == 200 and counts[5] == 3
    assert Person.objects.exclude(key_group="").count() > 100
    assert Person.objects.filter(former_occupation__isnull=False).exists()
    assert Person.objects.filter(school__isnull=False).exists()
    demo.build(rng=random.Random("2022-registry"))
    assert [
        m.objects.count()
        for m in (Institution, CatalogEntry, Teacher, Workstation, Person, Sanction)
    ] == counts
