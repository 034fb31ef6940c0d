"""Factories for the plan's tests: the loaded 2022 plan and certificates."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest

from chizheng.assessment.models import Certificate
from chizheng.assessment.services import certificate_flags_refresh
from chizheng.org.models import City, County
from chizheng.plan.models import Plan
from chizheng.plan.services import plan_load
from chizheng.registry.models import Institution, Person

_seq = itertools.count(1)


@pytest.fixture
def plan(city: City) -> Plan:
    return plan_load()


@pytest.fixture
def make_certificate(
    city: City, make_institution: Callable[..., Institution], make_person: Callable[..., Person]
) -> Callable[..., Certificate]:
    """A certificate (bulk path: flags refreshed for its person and year, as the services do)."""
    issuers: dict[str, Institution] = {}

    def make(
        *,
        person: Person | None = None,
        county_code: str = "410402",
        issued_on: dt.date = dt.date(2022, 3, 1),
        level: int | None = 4,
        kind: str = Certificate.Kind.SKILL_LEVEL,
        channel: str = Certificate.Channel.ENTERPRISE,
        **kw: Any,
    ) -> Certificate:
        if county_code not in issuers:
            issuers[county_code] = make_institution(county_code, kind=Institution.Kind.EVALUATOR)
        person = person or make_person(county_code)
        cert = Certificate.objects.create(
            person=person,
            occupation_code=kw.pop("occupation_code", f"6-18-02-{next(_seq) % 90:02d}"),
            skill_level=level,
            kind=kind,
            channel=channel,
            issued_on=issued_on,
            county=County.objects.get(code=county_code),
            issuing_institution=issuers[county_code],
            **kw,
        )
        certificate_flags_refresh(year=issued_on.year, person_ids=[person.pk])
        cert.refresh_from_db()
        return cert

    return make
