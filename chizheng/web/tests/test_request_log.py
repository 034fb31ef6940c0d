"""The request id (generated or taken from a well-formed X-Request-ID, returned in the
response) and the one access line per request, in JSON, with personal data kept out."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest
from django.test import Client

from chizheng.accounts.models import Role
from chizheng.core.logging import JsonFormatter, MaskPersonalData, RequestContext

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """The root logger's JSON output (the handler of the settings, into a buffer)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContext())
    handler.addFilter(MaskPersonalData())
    handler.setFormatter(JsonFormatter(time_zone="Asia/Shanghai"))
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def records(stream: io.StringIO, logger: str) -> list[dict[str, object]]:
    parsed = [json.loads(line) for line in stream.getvalue().splitlines()]
    return [r for r in parsed if r["logger"] == logger]


def test_a_request_gets_an_id_returned_in_the_response(client: Client) -> None:
    r = client.get("/login/")
    assert re.fullmatch(r"[0-9a-f]{32}", r["X-Request-ID"])
    assert client.get("/login/")["X-Request-ID"] != r["X-Request-ID"]


def test_a_well_formed_incoming_id_is_kept(client: Client, log_lines) -> None:
    r = client.get("/login/", headers={"X-Request-ID": "7f1c2a9e-0b4d-4e51-9a43-1f0e2d3c4b5a"})
    assert r["X-Request-ID"] == "7f1c2a9e-0b4d-4e51-9a43-1f0e2d3c4b5a"
    (line,) = records(log_lines, "chizheng.access")
    assert line["request_id"] == "7f1c2a9e-0b4d-4e51-9a43-1f0e2d3c4b5a"


@pytest.mark.parametrize(
    "bad", ["short", "has space in it", "x" * 65, "abc\r\nSet-Cookie: a=b", "<script>id</script>"]
)
def test_a_malformed_incoming_id_is_replaced(client: Client, bad: str) -> None:
    r = client.get("/login/", headers={"X-Request-ID": bad})
    assert re.fullmatch(r"[0-9a-f]{32}", r["X-Request-ID"])


def test_one_access_line_per_request_without_query_values(
    client: Client, make_user, log_lines
) -> None:
    user = make_user(Role.PROGRAMME_OFFICE)
    client.force_login(user)
    r = client.get("/registry/people/?q=410402199001010019&name=张三&page=2")
    (line,) = records(log_lines, "chizheng.access")
    assert line["method"] == "GET"
    assert line["path"] == "/registry/people/"
    assert line["query"] == "name,page,q"
    assert line["status"] == r.status_code
    assert isinstance(line["duration_ms"], float)
    assert line["user_id"] == user.pk
    assert line["request_id"] == r["X-Request-ID"]
    text = log_lines.getvalue()
    assert "410402199001010019" not in text and "张三" not in text


def test_anonymous_requests_log_no_user(client: Client, log_lines) -> None:
    client.get("/")
    (line,) = records(log_lines, "chizheng.access")
    assert line["status"] == 302 and line["user_id"] is None


def test_lines_logged_during_the_request_carry_its_id_and_user(
    client: Client, make_user, log_lines
) -> None:
    """Django logs a 404 (after the middleware returned, with the request on the record):
    that line has the request's id and user."""
    user = make_user(Role.PROGRAMME_OFFICE)
    client.force_login(user)
    r = client.get("/no-such-page/410402199001010019/?name=张三")
    assert r.status_code == 404
    (warning,) = records(log_lines, "django.request")
    assert warning["request_id"] == r["X-Request-ID"]
    assert warning["user_id"] == user.pk
    assert "410402********0019" in str(warning["message"])
    text = log_lines.getvalue()
    assert "410402199001010019" not in text
    assert "张三" not in text  # the request object on Django's record is not written out


def test_the_middleware_is_first(settings) -> None:
    assert settings.MIDDLEWARE[0] == "chizheng.web.request_log.RequestLogMiddleware"
