"""GET /api/v1/online/platforms/{code}/batches: a platform reads its own batches only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from chizheng.api.tests.clients import ApiClient
from chizheng.online.tests.logs import Log, ndjson

pytestmark = pytest.mark.django_db


def test_lists_own_batches_only(online_dir: Path, platform_token: Callable[[str], str]) -> None:
    t1, t2 = platform_token("P1"), platform_token("P2")
    client = ApiClient()
    client.post(
        "/api/v1/online/platforms/P1/events",
        data=ndjson(Log().play(0, 300).rows),
        content_type="application/x-ndjson",
        HTTP_AUTHORIZATION=f"Bearer {t1}",
    )
    r = client.get("/api/v1/online/platforms/P1/batches", HTTP_AUTHORIZATION=f"Bearer {t1}")
    assert r.status_code == 200 and len(r.json()) == 1
    assert r.json()[0]["rows"] > 0
    r = client.get("/api/v1/online/platforms/P1/batches", HTTP_AUTHORIZATION=f"Bearer {t2}")
    assert r.status_code == 404
    r = client.get("/api/v1/online/platforms/P2/batches", HTTP_AUTHORIZATION=f"Bearer {t2}")
    assert r.json() == []
