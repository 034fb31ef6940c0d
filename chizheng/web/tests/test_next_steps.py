"""Each role's home page offers his next steps with the figures of his scope, and nothing
that means nothing to him (issue 16, item 3): the institution a new class, finance what
waits to be paid and the balance, the worker no registry counts and no API link, the
platform its upload; the overdue tile opens the classes that are overdue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from chizheng.accounts.models import Role, User
from chizheng.subsidy.models import Fund
from chizheng.training.models import Review
from chizheng.training.tests.conftest import build_world

pytestmark = pytest.mark.django_db


def _home(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/").content.decode()


def test_the_institution_is_offered_a_new_class(make_user: Any, make_institution: Any) -> None:
    page = _home(make_user(Role.INSTITUTION, institution=make_institution("410402")))
    assert 'data-testid="step-new-class"' in page and "新建开班申请" in page
    assert 'data-testid="step-to-pay"' not in page


def test_finance_sees_what_waits_to_be_paid_and_the_years_balance(
    city: Any, make_user: Any, today: Any
) -> None:
    today(dt.date(2022, 5, 10))
    Fund.objects.create(
        city=city, source="employment_subsidy", year=2022, balance=Decimal("1234567.5")
    )
    Fund.objects.create(city=city, source="unemployment_insurance", year=2022, balance=Decimal(100))
    Fund.objects.create(city=city, source="unemployment_insurance", year=2021, balance=Decimal(9))
    page = _home(make_user(Role.FINANCE))
    assert "0 件，0.00 元" in page  # nothing approved yet
    assert "1,234,667.50 元" in page  # the year's two funds, not last year's
    assert 'data-testid="step-new-class"' not in page


def test_a_worker_sees_his_own_things_not_the_registry_or_the_api(
    make_user: Any, make_person: Any
) -> None:
    page = _home(make_user(Role.WORKER, person=make_person()))
    assert 'data-testid="count-institutions"' not in page
    assert "/api/v1/docs" not in page
    assert 'data-testid="step-vouchers"' in page


def test_a_platform_is_sent_to_its_upload(make_user: Any, make_institution: Any) -> None:
    page = _home(make_user(Role.PLATFORM, institution=make_institution("410402")))
    assert 'data-testid="step-online-upload"' in page


def test_the_overdue_tile_opens_the_overdue_classes_of_the_scope(
    city: Any, make_user: Any, today: Any, county: Any
) -> None:
    today(dt.date(2022, 5, 20))
    world = build_world(make_user)
    late, on_time = world.apply(batch="迟"), world.apply(batch="准")
    Review.objects.create(
        training_class=late,
        level="industry",
        step="first",
        accepted_on=dt.date(2022, 4, 1),
        due_on=dt.date(2022, 4, 15),
    )
    Review.objects.create(
        training_class=on_time,
        level="industry",
        step="first",
        accepted_on=dt.date(2022, 5, 19),
        due_on=dt.date(2022, 6, 2),
    )
    office = Client()
    office.force_login(make_user(Role.PROGRAMME_OFFICE))
    home = office.get("/").content.decode()
    assert 'href="/classes/?overdue=1"' in home
    listed = office.get("/classes/?overdue=1").content.decode()
    assert "迟" in listed and ">准<" not in listed
    other = Client()
    other.force_login(make_user(Role.COUNTY_HR, county=county("410482")))
    assert world.institution.county.code != "410482"
    assert "迟" not in other.get("/classes/?overdue=1").content.decode()


def test_an_institution_sees_its_own_classes_by_state(
    city: Any, make_user: Any, today: Any
) -> None:
    today(dt.date(2022, 5, 20))
    world = build_world(make_user)
    world.apply(batch="一")
    world.apply(batch="二")
    page = _home(world.applicant)
    block = page.split('data-testid="classes-by-state"')[1].split("</section>")[0]
    assert "?status=draft" in block and "2 个" in block
    assert 'data-testid="classes-by-state"' not in _home(world.other_applicant)  # none his
