"""POST /api/v1/online/platforms/{code}/events"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from chizheng.api.tests.clients import ApiClient
from chizheng.online import config
from chizheng.online.tests.logs import Log, csv, ndjson, parquet

pytestmark = pytest.mark.django_db


def _post(client: Client, code: str, token: str, body: bytes, ctype: str) -> Any:
    return client.post(
        f"/api/v1/online/platforms/{code}/events",
        data=body,
        content_type=ctype,
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_upload_each_format(online_dir: Path, platform_token: Callable[[str], str]) -> None:
    token = platform_token("P1")
    client = ApiClient()
    log = Log().play(0, 600)
    for body, ctype in [
        (ndjson(log.rows), "application/x-ndjson"),
        (csv(log.rows), "text/csv"),
        (parquet(log.table()), "application/vnd.apache.parquet"),
    ]:
        r = _post(client, "P1", token, body, ctype)
        assert r.status_code == 200, r.content
    assert len(config.store().files("P1")) == 1  # the 2nd and 3rd were all duplicates


def test_duplicate_is_counted_once(online_dir: Path, platform_token: Callable[[str], str]) -> None:
    token = platform_token("P1")
    log = Log().play(0, 300)
    rows = [*log.rows, log.rows[0]]
    r = _post(ApiClient(), "P1", token, ndjson(rows), "application/x-ndjson")
    assert r.json() == {
        "platform": "P1",
        "received": len(rows),
        "stored": len(rows) - 1,
        "duplicates": 1,
        "changed": 0,
        "changed_events": [],
    }
    r = _post(ApiClient(), "P1", token, ndjson(rows), "application/x-ndjson")
    assert r.json()["stored"] == 0


def test_one_bad_row_refuses_the_batch(
    online_dir: Path, platform_token: Callable[[str], str]
) -> None:
    token = platform_token("P1")
    log = Log().play(0, 300)
    log.rows[2]["rate"] = None
    r = _post(ApiClient(), "P1", token, ndjson(log.rows), "application/x-ndjson")
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "online_bad_rows"
    assert body["detail"]["problems"] == [
        {"row": 3, "field": "rate", "reason": "心跳必须有播放倍速"}
    ]
    assert config.store().files("P1") == []


def test_bad_file(online_dir: Path, platform_token: Callable[[str], str]) -> None:
    token = platform_token("P1")
    r = _post(ApiClient(), "P1", token, b"PAR1garbage", "application/vnd.apache.parquet")
    assert (r.status_code, r.json()["code"]) == (422, "online_bad_file")


def test_cannot_upload_as_another_platform(
    online_dir: Path, platform_token: Callable[[str], str]
) -> None:
    token = platform_token("P1")
    platform_token("P2")
    log = Log(platform="P2").play(0, 300)
    r = _post(ApiClient(), "P2", token, ndjson(log.rows), "application/x-ndjson")
    assert r.status_code == 404
    r = _post(ApiClient(), "P1", token, ndjson(log.rows), "application/x-ndjson")
    assert r.status_code == 422
    assert {p["field"] for p in r.json()["detail"]["problems"]} == {"platform"}
    assert config.store().files() == []


def test_no_or_wrong_token(online_dir: Path, platform_token: Callable[[str], str]) -> None:
    platform_token("P1")
    body = ndjson(Log().play(0, 60).rows)
    assert _post(ApiClient(), "P1", "czol_nope", body, "application/x-ndjson").status_code == 401
    r = ApiClient().post(
        "/api/v1/online/platforms/P1/events", data=body, content_type="application/x-ndjson"
    )
    assert r.status_code == 401


def test_batch_larger_than_the_form_limit(
    online_dir: Path, platform_token: Callable[[str], str], settings: Any
) -> None:
    token = platform_token("P1")
    body = ndjson(Log().play(0, 3000).rows)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = len(body) // 2
    r = _post(ApiClient(), "P1", token, body, "application/x-ndjson")
    assert r.status_code == 200 and r.json()["stored"] > 0
