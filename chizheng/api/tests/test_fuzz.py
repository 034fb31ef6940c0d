"""OpenAPI fuzzing: every operation of /api/v1/openapi.json, driven in-process (WSGI) by
schemathesis with valid and invalid input, as a city programme office user (session and
CSRF header) and as a platform's API token, against the demo data set. No answer may be a
server error, every answer must match the document (status and body), and no refusal may
come from the last resort (``chizheng.core.dbinput``): a value the database refused means a
boundary check is missing.

Bounded for CI (``CHIZHENG_FUZZ_EXAMPLES``, default 8 per operation and mode, plus the
boundary cases of every parameter for the office; deterministic); run it longer and with
fresh randomness locally::

    CHIZHENG_FUZZ_EXAMPLES=200 CHIZHENG_FUZZ_RANDOM=1 .venv/bin/python -m pytest -m fuzz
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from chizheng.api.tests.clients import ApiClient
from chizheng.core.dbinput import InputRefused

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

EXAMPLES = int(os.environ.get("CHIZHENG_FUZZ_EXAMPLES", "8"))
RANDOM = os.environ.get("CHIZHENG_FUZZ_RANDOM", "") == "1"
OPENAPI = "/api/v1/openapi.json"


@schemathesis.serializer("text/csv", "application/x-ndjson", "application/vnd.apache.parquet")
def _text_body(ctx: schemathesis.SerializationContext, value: Any) -> bytes:
    """The event upload's formats: the generated text or bytes as they are (invalid UTF-8 too);
    anything else generated for them (negative mode) as JSON."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return json.dumps(value, default=str).encode("utf-8")


@schemathesis.check
def not_the_last_resort(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 422 from ``dbinput`` means a value reached the database unchecked."""
    if response.status_code == 422 and InputRefused.code.encode() in response.content:
        raise AssertionError(f"the database refused an unchecked value: {response.content!r}")
    return None


CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


def _schema(*, boundaries: bool) -> Any:
    return schemathesis.openapi.from_wsgi(
        OPENAPI,
        WSGIHandler(),
        config=schemathesis.Config.from_dict(
            {
                "generation": {
                    "mode": "all",
                    "max-examples": EXAMPLES,
                    "deterministic": not RANDOM,
                    # credentials are the test's, never generated
                    "with-security-parameters": False,
                },
                # the boundary cases of every parameter (2^63, -1, over-long, NUL …)
                "phases": {"coverage": {"enabled": boundaries}},
            }
        ),
    )


# The city office reaches every operation's code: it gets the boundary cases too. The
# platform's token is refused by most operations after their input is checked — the checks
# the office's run covers —, so in CI it gets the generated valid and invalid examples only
# (a random, longer run gives it the boundary cases as well).
schema = _schema(boundaries=True)
token_schema = _schema(boundaries=RANDOM)

_server_errors: list[str] = []


def _remember(sender: Any, request: Any = None, **kwargs: Any) -> None:
    _server_errors.append("".join(traceback.format_exception(*sys.exc_info()))[-3000:])


@pytest.fixture(scope="module")
def credentials(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """The demo city-year (small), loaded once for the module inside a transaction that is
    rolled back at the end; the city office's session and a platform user's API token."""
    from chizheng import demo
    from chizheng.accounts.models import User
    from chizheng.accounts.tokens import token_issue
    from chizheng.demo import online

    patch = pytest.MonkeyPatch()
    patch.setenv("CHIZHENG_ONLINE_DIR", str(tmp_path_factory.mktemp("online")))
    patch.setattr(online, "LEARNERS", 3)
    # In-process WSGI calls would close the test's connection after each request (Django's
    # test client does the same: it unhooks this handler while it runs a request).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    signals.got_request_exception.connect(_remember)
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            demo.build(people=60)
            session = ApiClient()
            session.force_login(User.objects.get(username="city"))
            _, token = token_issue(
                actor=User.objects.get(username="platform"), name="fuzzing", days=30
            )
            yield {
                "city": {
                    "cookies": {
                        "sessionid": session.cookies["sessionid"].value,
                        "csrftoken": session.csrf_token,
                    },
                    "headers": {"X-CSRFToken": session.csrf_token},
                },
                "platform": {"cookies": {}, "headers": {"Authorization": f"Bearer {token}"}},
            }
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            signals.got_request_exception.disconnect(_remember)
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
            patch.undo()


def _call(case: Any, who: dict[str, Any]) -> None:
    _server_errors.clear()
    # each example on its own: a refused write leaves nothing for the next one to trip over
    with transaction.atomic():
        response = case.call(headers=who["headers"], cookies=who["cookies"])
        transaction.set_rollback(True)
    where = "\n".join(_server_errors)
    try:
        case.validate_response(response, checks=CHECKS, additional_checks=[not_the_last_resort])
    except Exception as failure:
        if where:
            raise AssertionError(f"{failure}\n--- server traceback ---\n{where}") from failure
        raise


@schema.parametrize()
def test_as_the_programme_office(case: Any, credentials: dict[str, Any]) -> None:
    _call(case, credentials["city"])


@token_schema.parametrize()
def test_as_a_platform_token(case: Any, credentials: dict[str, Any]) -> None:
    _call(case, credentials["platform"])
