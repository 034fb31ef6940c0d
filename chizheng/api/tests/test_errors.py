"""The error responses in the OpenAPI document, and the last resort for a value the
database refuses (a 4xx, logged — never hiding a bug of the code as a client's error)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.db import DataError
from django.test import Client

from chizheng.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_every_operation_documents_its_errors(client: Client) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["components"]["schemas"]["Error"]["required"] == ["code", "message", "detail"]
    ref = {"$ref": "#/components/schemas/Error"}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            responses = op["responses"]
            if op.get("security"):
                for status in ("401", "403"):
                    assert responses[status]["content"]["application/json"]["schema"] == ref
            if op.get("parameters") or op.get("requestBody"):
                assert "422" in responses and "404" in responses, (method, path)
    sanction = doc["paths"]["/api/v1/institutions/{institution_id}/sanctions"]["post"]
    assert {"401", "403", "404", "409", "422"} <= set(sanction["responses"])
    kind = doc["components"]["schemas"]["SanctionIn"]["properties"]["kind"]
    assert kind["enum"] == ["suspension", "blacklist", "platform_ban"]
    name = doc["components"]["schemas"]["InstitutionIn"]["properties"]["name"]
    assert name["maxLength"] == 100 and "\\x00" in name["pattern"]


def test_the_event_upload_body_is_described(client: Client) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    upload = doc["paths"]["/api/v1/online/platforms/{code}/events"]["post"]
    assert set(upload["requestBody"]["content"]) == {
        "application/x-ndjson",
        "text/csv",
        "application/vnd.apache.parquet",
    }
    assert upload["security"] == [{"TokenAuth": []}]


def test_the_database_refusing_a_value_is_a_logged_4xx(
    client: Client,
    make_user: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from chizheng.core import api as core_api

    def refuses(*args: Any, **kwargs: Any) -> Any:
        raise DataError("value too long for type character varying(100)")

    client.force_login(make_user(Role.PROGRAMME_OFFICE))
    monkeypatch.setattr(core_api, "policy_rows", refuses)
    with caplog.at_level(logging.ERROR, logger="chizheng.input"):
        r = client.get("/api/v1/policy/parameters")
    assert (r.status_code, r.json()["code"]) == (422, "input_refused_by_database")
    assert "no boundary check caught" in caplog.text


def test_a_bug_is_still_a_server_error(
    client: Client, make_user: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from chizheng.core import api as core_api

    def bug(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("a mistake of the code, not of the input")

    client.force_login(make_user(Role.PROGRAMME_OFFICE))
    monkeypatch.setattr(core_api, "policy_rows", bug)
    with pytest.raises(ValueError):
        client.get("/api/v1/policy/parameters")
