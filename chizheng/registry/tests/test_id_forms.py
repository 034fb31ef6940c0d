"""Finding 7 of issue 11: the full-width form of a registered ID number finds the same person
on every path (service, import, API, search) instead of creating a second one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from chizheng.accounts.models import Role, User
from chizheng.core import ids
from chizheng.org.models import County
from chizheng.registry import imports
from chizheng.registry.models import Person
from chizheng.registry.selectors import person_by_id_number
from chizheng.registry.services import person_register

from .conftest import person_row

pytestmark = pytest.mark.django_db

NUMBER = ids.make("410402", dt.date(1990, 1, 1), 18)


def full_width(text: str) -> str:
    """The same characters typed with a Chinese input method in full-width mode."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_the_service_finds_the_same_person(city: None) -> None:
    county = County.objects.get(code="410402")
    first = person_register(actor=None, name="张三", id_number=NUMBER, county=county)
    again = person_register(
        actor=None, name="张三", id_number="\u3000" + full_width(NUMBER), county=county
    )
    assert again.pk == first.pk
    assert Person.objects.count() == 1
    assert first.id_number == NUMBER  # stored as the ASCII number


def test_importing_the_full_width_form_after_the_ascii_one_finds_the_same_person(
    occupations: None,
    make_user: Callable[..., User],
    people_csv: Callable[[list[list[str]]], bytes],
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    row = person_row(7)
    imports.import_file(actor=office, kind="people", filename="a.csv", content=people_csv([row]))
    assert Person.objects.count() == 1
    wide = [*row]
    wide[1] = full_width(row[1][:6]) + "\u3000" + full_width(row[1][6:])
    job = imports.import_file(
        actor=office, kind="people", filename="b.csv", content=people_csv([wide])
    )
    assert job.bad_rows == 0, job.errors
    assert Person.objects.count() == 1
    person = Person.objects.get()
    assert person.id_number == row[1]
    assert person_by_id_number(actor=office, id_number=full_width(row[1])) == person


def test_the_api_normalises_the_number(client: Client, make_user: Callable[..., User]) -> None:
    client.force_login(make_user(Role.PROGRAMME_OFFICE))
    r = client.post(
        "/api/v1/idcheck", {"number": full_width(NUMBER)}, content_type="application/json"
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["valid"] is True
    assert body["number"] == ids.mask(NUMBER)
