"""Migration 0003: a platform's former upload token keeps working as an API token of the
platform's user (same hash); a revoked one, or one without a platform user, is not kept."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("online", "0002_results_in_system"), ("accounts", "0002_api_tokens")]
AFTER = [("online", "0004_platform_code")]


def _migrate(targets: list[tuple[str, str]]) -> object:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _back_to_the_latest_schema() -> object:
    """Going back to 0002 unapplies every later migration of every app that depends on it;
    the tests after this one need them all again, not just those up to 0004."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_platform_tokens_become_api_tokens_of_the_platforms_user() -> None:
    from chizheng.org.services import load_reference

    load_reference()
    old = _migrate(BEFORE)
    County = old.get_model("org", "County")  # type: ignore[attr-defined]
    Institution = old.get_model("registry", "Institution")  # type: ignore[attr-defined]
    User = old.get_model("accounts", "User")  # type: ignore[attr-defined]
    PlatformToken = old.get_model("online", "PlatformToken")  # type: ignore[attr-defined]
    county = County.objects.get(code="410402")
    tokens = {}
    for n, (has_user, revoked) in enumerate([(True, False), (True, True), (False, False)]):
        platform = Institution.objects.create(
            name=f"平台{n}", credit_code=f"9141040000MIGRATE{n}", kind="platform", county=county
        )
        if has_user:
            User.objects.create(
                username=f"platform{n}", role="platform", institution=platform, is_active=True
            )
        clear = f"czol_former-token-{n}"
        tokens[n] = clear
        PlatformToken.objects.create(
            institution=platform,
            code=f"P{n}",
            token_hash=hashlib.sha256(clear.encode()).hexdigest(),
            token_prefix=clear[:12],
            issued_at=timezone.now(),
            revoked=revoked,
        )
    _migrate(AFTER)
    from chizheng.accounts.models import ApiToken
    from chizheng.accounts.tokens import TokenRefused, user_for_token
    from chizheng.online.models import PlatformCode

    assert user_for_token(tokens[0]).username == "platform0"  # still works, as its user
    assert ApiToken.objects.count() == 1
    for n in (1, 2):  # revoked, or no user to act as
        with pytest.raises(TokenRefused):
            user_for_token(tokens[n])
    assert sorted(PlatformCode.objects.values_list("code", flat=True)) == ["P0", "P1", "P2"]
