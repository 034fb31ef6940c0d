"""The occupation picker offers the classification's occupations matching what was typed,
by the start of a code or a part of the name, with their level (issue 16, item 6)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from chizheng.accounts.models import Role, User
from chizheng.registry.models import Occupation

pytestmark = pytest.mark.django_db

URL = "/registry/occupations/pick/"


@pytest.fixture
def office(occupations: None, make_user: Callable[..., User]) -> Client:
    client = Client()
    client.force_login(make_user(Role.PROGRAMME_OFFICE))
    return client


def _options(client: Client, **query: str) -> list[str]:
    body = client.get(URL, query).content.decode()
    return [line for line in body.split("</option>") if "<option" in line]


def test_a_code_start_or_a_name_part_offers_the_occupations_with_their_level(
    office: Client,
) -> None:
    one = Occupation.objects.filter(level=Occupation.Level.OCCUPATION, active=True).first()
    assert one is not None
    by_code = _options(office, q=one.code[:4])
    assert any(f'value="{one.code}"' in o for o in by_code)
    assert all("职业（细类）" in o for o in by_code)
    by_name = _options(office, occupation_code=one.name[1:3])  # what the field itself sends
    assert any(f'value="{one.code}"' in o for o in by_name)
    group = Occupation.objects.exclude(level=Occupation.Level.OCCUPATION).first()
    assert group is not None
    assert not any(f'value="{group.code}"' in o for o in _options(office, q=group.code))


def test_what_cannot_be_a_code_or_name_matches_nothing(office: Client) -> None:
    assert _options(office, q="焊\x00") == []
    assert _options(office, q="x" * 41) == []
    assert office.get(URL).status_code == 200


def test_the_picker_needs_a_sign_in(occupations: None) -> None:
    response = Client().get(URL, {"q": "焊"})
    assert response.status_code == 302 and "/login/" in response["Location"]
