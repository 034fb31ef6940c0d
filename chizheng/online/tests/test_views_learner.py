"""/online/learners/ and /online/learners/<id>/: a learner's void segments, scoped."""

from __future__ import annotations

from typing import Any

import pytest

from chizheng.api.tests.clients import ApiClient

pytestmark = pytest.mark.django_db


def _get(user: Any, path: str) -> Any:
    client = ApiClient()
    client.force_login(user)
    return client.get(path)


def test_void_segments_name_rule_and_clause(world: Any) -> None:
    r = _get(world.office, f"/online/learners/{world.a1.pk}/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "快进播放（§20(3)）" in body
    assert body.count("<tr><td>CA</td>") == 1  # the valid segment is not listed


@pytest.mark.parametrize("who", ["office", "county_a", "inst_a", "platform_a", "worker_a1"])
def test_those_in_scope_see_the_learner(world: Any, who: str) -> None:
    r = _get(getattr(world, who), f"/online/learners/{world.a1.pk}/")
    assert r.status_code == 200 and "快进播放" in r.content.decode()


@pytest.mark.parametrize("who", ["county_b", "inst_b", "platform_b", "worker_b1"])
def test_another_county_institution_platform_or_worker_gets_nothing(world: Any, who: str) -> None:
    user = getattr(world, who)
    r = _get(user, f"/online/learners/{world.a1.pk}/")
    assert r.status_code == 404
    assert "快进播放" not in r.content.decode()
    listing = _get(user, "/online/learners/").content.decode()
    assert world.a1.learner_key not in listing and world.a2.learner_key not in listing


def test_the_list_shows_ones_own(world: Any) -> None:
    body = _get(world.platform_b, "/online/learners/").content.decode()
    assert world.b1.learner_key in body
