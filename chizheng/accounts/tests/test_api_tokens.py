"""API tokens: issued by the owner, shown once, hashed at rest, acting as the owner through
the access layer, expiring, revocable, their use logged without a write per request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from chizheng.accounts.models import ApiToken, ApiTokenUse, Role
from chizheng.accounts.tokens import TokenRefused, digest, token_issue, token_revoke, user_for_token
from chizheng.api.tests.clients import ApiClient
from chizheng.core import clock
from chizheng.core.errors import NotFound, PermissionDenied, ValidationError
from chizheng.core.models import AuditEvent

pytestmark = pytest.mark.django_db

MOMENT = timezone.make_aware(dt.datetime(2022, 5, 10, 9, 0))


def _machine(token: str) -> ApiClient:
    client = ApiClient(headers={"Authorization": f"Bearer {token}"})
    client.send_csrf = False  # a machine has no CSRF cookie
    return client


@pytest.fixture
def school(make_institution: Callable[..., Any], make_user: Callable[..., Any]) -> Any:
    inst = make_institution("410402")
    return make_user(Role.INSTITUTION, institution=inst)


def test_issued_once_stored_as_a_hash(school: Any) -> None:
    _, clear = token_issue(actor=school, name="培训管理系统", days=90)
    assert clear.startswith("cz_") and len(clear) > 40
    stored = ApiToken.objects.get()
    assert stored.token_hash == digest(clear) and clear not in stored.token_hash
    assert stored.prefix == clear[:10] and stored.user == school
    assert AuditEvent.objects.filter(action="api.token.issue").count() == 1
    assert clear not in str(AuditEvent.objects.get(action="api.token.issue").after)


def test_the_token_acts_as_its_owner_within_his_scope(
    school: Any, make_institution: Callable[..., Any]
) -> None:
    other = make_institution("410482")
    _, clear = token_issue(actor=school, name="系统", days=30)
    machine = _machine(clear)
    assert machine.get("/api/v1/me").json()["username"] == school.username
    listing = machine.get("/api/v1/institutions").json()
    assert [i["id"] for i in listing["items"]] == [school.institution_id]
    assert machine.get(f"/api/v1/institutions/{other.pk}").status_code == 404
    # what the owner's role may not do, the token may not either
    r = machine.post(
        f"/api/v1/institutions/{school.institution_id}/sanctions",
        {"kind": "blacklist", "starts_on": "2022-05-10", "reason": "x"},
        content_type="application/json",
    )
    assert r.status_code == 403


def test_session_posts_need_csrf_token_posts_do_not(school: Any) -> None:
    browser = ApiClient()
    browser.force_login(school)
    browser.send_csrf = False
    r = browser.post("/api/v1/idcheck", {"number": "11010519491231002X"}, "application/json")
    assert (r.status_code, r.json()["code"]) == (403, "csrf_failed")
    _, clear = token_issue(actor=school, name="系统", days=30)
    r = _machine(clear).post(
        "/api/v1/idcheck", {"number": "11010519491231002X"}, "application/json"
    )
    assert r.status_code == 200 and r.json()["valid"] is True


def test_expired_revoked_and_unknown_tokens_are_refused_with_their_reason(school: Any) -> None:
    with clock.freeze(MOMENT):
        _, clear = token_issue(actor=school, name="系统", days=30)
    with clock.freeze(MOMENT + dt.timedelta(days=29)):
        assert user_for_token(clear) == school
    with clock.freeze(MOMENT + dt.timedelta(days=30, seconds=1)):
        r = _machine(clear).get("/api/v1/me")
        assert (r.status_code, r.json()["code"]) == (401, "token_expired")
    with clock.freeze(MOMENT):
        row, other = token_issue(actor=school, name="另一个", days=30)
        token_revoke(actor=school, token_id=row.pk)
        r = _machine(other).get("/api/v1/me")
        assert (r.status_code, r.json()["code"]) == (401, "token_revoked")
    r = _machine("cz_not-a-token").get("/api/v1/me")
    assert (r.status_code, r.json()["code"]) == (401, "token_invalid")
    school.is_active = False
    school.save()
    with clock.freeze(MOMENT), pytest.raises(TokenRefused):
        user_for_token(clear)


def test_only_roles_with_systems_issue_and_only_their_institution_revokes(
    school: Any, make_user: Callable[..., Any], make_institution: Callable[..., Any], county: Any
) -> None:
    for role, scope in (
        (Role.COUNTY_HR, {"county": county("410402")}),
        (Role.PROGRAMME_OFFICE, {}),
    ):
        with pytest.raises(PermissionDenied):
            token_issue(actor=make_user(role, **scope), name="x", days=30)
    row, _ = token_issue(actor=school, name="系统", days=30)
    colleague = make_user(Role.INSTITUTION, institution=school.institution)
    stranger = make_user(Role.INSTITUTION, institution=make_institution("410402"))
    with pytest.raises(NotFound):
        token_revoke(actor=stranger, token_id=row.pk)
    assert token_revoke(actor=colleague, token_id=row.pk).revoked_by == colleague
    with pytest.raises(ValidationError):
        token_revoke(actor=colleague, token_id=row.pk)
    with pytest.raises(ValidationError):
        token_issue(actor=school, name="系统", days=3650)  # not a lifetime on offer
    with pytest.raises(ValidationError):
        token_issue(actor=school, name="bad\x00name", days=30)


def test_use_is_logged_at_most_once_a_minute_and_audited_once_a_day(school: Any) -> None:
    with clock.freeze(MOMENT):
        _, clear = token_issue(actor=school, name="系统", days=30)
        for _ in range(5):
            user_for_token(clear, address="10.0.0.8")
    use = ApiTokenUse.objects.get()
    assert (use.day, use.minutes, use.address) == (dt.date(2022, 5, 10), 1, "10.0.0.8")
    assert ApiToken.objects.get().last_used_at == MOMENT
    for minutes in (1, 2, 2):  # two more minutes with use, the third call within the second
        with clock.freeze(MOMENT + dt.timedelta(minutes=minutes, seconds=5 if minutes == 2 else 0)):
            user_for_token(clear, address="10.0.0.8")
    assert ApiTokenUse.objects.get().minutes == 3
    with clock.freeze(MOMENT + dt.timedelta(days=1)):
        user_for_token(clear)
    assert ApiTokenUse.objects.count() == 2
    assert AuditEvent.objects.filter(action="api.token.use").count() == 2  # one a day


def test_the_token_page_shows_a_new_token_once(
    school: Any, make_user: Callable[..., Any], make_institution: Callable[..., Any]
) -> None:
    page = ApiClient()
    page.force_login(school)
    assert page.get("/account/tokens/").status_code == 200
    r = page.post("/account/tokens/", {"name": "培训管理系统", "days": "90"})
    html = r.content.decode()
    row = ApiToken.objects.get()
    clear = html.split('data-testid="clear-token"')[1].split(">")[1].split("<")[0]
    assert digest(clear) == row.token_hash and r["Cache-Control"] == "no-store"
    again = page.get("/account/tokens/").content.decode()
    assert row.prefix in again and clear not in again
    page.post(f"/account/tokens/{row.pk}/revoke/")
    assert ApiToken.objects.get().revoked_at is not None
    # another institution's user sees none of it
    stranger = ApiClient()
    stranger.force_login(make_user(Role.INSTITUTION, institution=make_institution("410402")))
    assert row.prefix not in stranger.get("/account/tokens/").content.decode()
    # and a role without systems has no token page
    office = ApiClient()
    office.force_login(make_user(Role.PROGRAMME_OFFICE))
    assert office.get("/account/tokens/").status_code == 403


def test_the_use_is_logged_from_the_real_client_behind_a_trusted_proxy(school: Any) -> None:
    from django.test import override_settings

    _, clear = token_issue(actor=school, name="系统", days=30)
    machine = ApiClient(
        headers={"Authorization": f"Bearer {clear}"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.2",
    )
    machine.send_csrf = False
    with override_settings(TRUSTED_PROXIES=["10.0.0.2"]):
        assert machine.get("/api/v1/me").status_code == 200
    assert ApiToken.objects.get().last_used_from == "203.0.113.9"
