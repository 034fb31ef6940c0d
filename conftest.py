"""Shared fixtures: the reference organisation and users of every role."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from chizheng.accounts.models import Role, User
from chizheng.api.tests.clients import ApiClient
from chizheng.core import ids
from chizheng.org.models import City, County, Department
from chizheng.org.services import load_reference
from chizheng.registry.models import Institution, Person
from chizheng.registry.services import person_register

_seq = itertools.count(1)


@pytest.fixture
def client() -> Client:
    """pytest-django's ``client``, with CSRF checks on (``chizheng.api.tests.clients``)."""
    return ApiClient()


@pytest.fixture
def city(db: None) -> City:
    return load_reference()


@pytest.fixture
def county(city: City) -> Callable[[str], County]:
    def get(code: str) -> County:
        return County.objects.get(code=code)

    return get


@pytest.fixture
def make_institution(city: City) -> Callable[..., Institution]:
    def make(county_code: str = "410402", **kw: Any) -> Institution:
        n = next(_seq)
        defaults: dict[str, Any] = {
            "name": f"测试培训学校{n}",
            "credit_code": f"91410400TEST{n:06d}",
            "kind": Institution.Kind.PRIVATE_SCHOOL,
            "county": County.objects.get(code=county_code),
            "department": Department.objects.get(code="miit"),
        }
        defaults.update(kw)
        return Institution.objects.create(**defaults)

    return make


@pytest.fixture
def make_person(city: City) -> Callable[..., Person]:
    def make(county_code: str = "410402", **kw: Any) -> Person:
        import datetime as dt

        n = next(_seq)
        number = kw.pop("id_number", None) or ids.make(
            county_code, dt.date(1990, 1, 1) + dt.timedelta(days=n), n % 1000
        )
        return person_register(
            actor=None,
            name=kw.pop("name", f"测试{n}"),
            id_number=number,
            county=County.objects.get(code=county_code),
            phone=kw.pop("phone", f"139{n:08d}"),
        )

    return make


@pytest.fixture
def make_user(city: City) -> Callable[..., User]:
    def make(role: str = Role.PROGRAMME_OFFICE, **scope: Any) -> User:
        n = next(_seq)
        if role in (Role.PROGRAMME_OFFICE, Role.CITY_LEADER, Role.FINANCE) or (
            role == Role.INSPECTOR and "county" not in scope
        ):
            scope.setdefault("city", city)
        user = User.objects.create_user(
            username=f"user{n}", password="pw-Test-12345", role=role, **scope
        )
        user.full_clean(exclude=["password"])
        return user

    return make


@pytest.fixture
def today() -> Iterator[Callable[[dt.date], None]]:
    """Set the system's date: ``today(dt.date(2022, 6, 1))``; restored after the test."""
    from chizheng.core import clock

    stack: list[Any] = []

    def set_today(day: dt.date) -> None:
        cm = clock.freeze(day)
        cm.__enter__()
        stack.append(cm)

    yield set_today
    while stack:
        stack.pop().__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _online_store(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test's online event store its own (a simulated year sends the same events every
    time: one store kept across tests already holds them)."""
    monkeypatch.setenv("CHIZHENG_ONLINE_DIR", str(tmp_path_factory.mktemp("online")))
