"""The class page shows each trainee's credited online class hours."""

from __future__ import annotations

from typing import Any

import pytest

from chizheng.api.tests.clients import ApiClient

pytestmark = pytest.mark.django_db


def _get(user: Any, path: str) -> Any:
    client = ApiClient()
    client.force_login(user)
    return client.get(path)


def test_the_class_page_shows_credited_hours(world: Any) -> None:
    r = _get(world.inst_a, f"/classes/{world.class_a.pk}/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "线上理论学时认定" in body
    assert world.a1.learner_key in body
    assert f'data-testid="credited-{world.a1.enrolment_id}">2<' in body
    assert 'data-testid="credited-total">2<' in body


def test_another_institution_or_county_sees_nothing(world: Any) -> None:
    for user in (world.inst_b, world.county_b):
        r = _get(user, f"/classes/{world.class_a.pk}/")
        assert r.status_code == 404
        assert world.a1.learner_key not in r.content.decode()
