"""GET /api/v1/online/learners/{id}/void-segments"""

from __future__ import annotations

from typing import Any

import pytest

from chizheng.api.tests.clients import ApiClient

pytestmark = pytest.mark.django_db


def _get(user: Any, learner_id: int) -> Any:
    client = ApiClient()
    client.force_login(user)
    return client.get(f"/api/v1/online/learners/{learner_id}/void-segments")


def test_rule_and_clause_per_segment(world: Any) -> None:
    r = _get(world.county_a, world.a1.pk)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["credited_hours"] == 2
    (seg,) = body["segments"]
    assert seg["lesson"] == 2 and seg["course"] == "CA"
    assert seg["rules"] == [{"code": "FF", "label": "快进播放", "clause": "§20(3)"}]


@pytest.mark.parametrize("who", ["county_b", "inst_b", "platform_b", "worker_b1"])
def test_out_of_scope_is_not_found(world: Any, who: str) -> None:
    r = _get(getattr(world, who), world.a1.pk)
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"


def test_signed_out_is_refused(world: Any) -> None:
    r = ApiClient().get(f"/api/v1/online/learners/{world.a1.pk}/void-segments")
    assert r.status_code == 401
