"""API tokens: issuing and revoking them (the owner, in the UI), and checking one a request
presents (``chizheng.api.auth``), with its use logged.

A token is shown once, when issued, and kept only as its SHA-256. It acts as the user who
issued it — an institution's user for his institution's system, a platform's user for the
platform's uploads — through the same access layer. It needs no CSRF token (a browser never
sends it on its own, unlike a session cookie).

Use is logged without a write per request: ``last_used_at`` (and the day's ``ApiTokenUse``
row, whose ``minutes`` count the minutes with use) is written at most once a minute per
token, and the first use of a day writes one audit event. A busy platform uploading every
second thus writes one row a minute, not one per request, and one audit event a day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from chizheng.core import audit, clock
from chizheng.core.errors import DomainError, ValidationError
from chizheng.core.inputs import check_text

from .access import access_by_id, can, require
from .models import ApiToken, ApiTokenUse, User

PREFIX = "cz_"
# Tokens of the former per-platform mechanism (``czol_…``) were migrated as they were:
# the lookup is by the hash of the whole token, so they keep working until they expire.
LIFETIMES_DAYS: tuple[int, ...] = (30, 90, 180, 365)
DEFAULT_LIFETIME_DAYS = 90
USE_WRITE_INTERVAL = dt.timedelta(minutes=1)


class TokenRefused(DomainError):
    code = "token_invalid"
    http_status = 401


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _issuable(actor: User | None) -> User:
    require(actor, "api.token")
    assert actor is not None
    if actor.institution_id is None:
        raise ValidationError("您的账号未关联机构，不能签发接口令牌", code="token_no_institution")
    return actor


@transaction.atomic
def token_issue(*, actor: User | None, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token acting as ``actor``; the clear token is returned once, never stored."""
    user = _issuable(actor)
    name = check_text(name.strip(), field="name", label="用途", max_length=60)
    if not name:
        raise ValidationError("请填写令牌用途，如“培训管理系统对接”", detail={"field": "name"})
    if days not in LIFETIMES_DAYS:
        raise ValidationError(
            f"有效期应为 {'、'.join(str(d) for d in LIFETIMES_DAYS)} 天之一",
            detail={"field": "days", "allowed": list(LIFETIMES_DAYS)},
        )
    clear = PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=clear[:10],
        token_hash=digest(clear),
        created_at=now,
        created_by=user,
        expires_at=now + dt.timedelta(days=days),
    )
    audit.record(
        actor=user,
        action="api.token.issue",
        obj=token,
        after={"name": name, "prefix": token.prefix, "expires_at": token.expires_at},
    )
    return token, clear


@transaction.atomic
def token_revoke(*, actor: User, token_id: int) -> ApiToken:
    """Revoke a token of the actor's institution (refused from then on)."""
    require(actor, "api.token")
    token = access_by_id(actor, ApiToken.objects.select_for_update(), token_id)
    if token.revoked_at is not None:
        raise ValidationError("该令牌已停用", code="token_already_revoked")
    token.revoked_at, token.revoked_by = clock.now(), actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(actor=actor, action="api.token.revoke", obj=token, after={"prefix": token.prefix})
    return token


def user_for_token(token: str, *, address: str = "") -> User:
    """The user a presented token acts as, or ``TokenRefused`` saying why; logs the use."""
    found = (
        ApiToken.objects.select_related("user").filter(token_hash=digest(token)).first()
        if token
        else None
    )
    if found is None:
        raise TokenRefused("接口令牌无效", message_en="invalid API token")
    now = clock.now()
    if found.revoked_at is not None:
        raise TokenRefused("接口令牌已停用", message_en="revoked API token", code="token_revoked")
    if found.expires_at <= now:
        raise TokenRefused(
            f"接口令牌已于 {found.expires_at:%Y-%m-%d} 过期，请重新签发",
            message_en="expired API token",
            code="token_expired",
        )
    user = found.user
    if not user.is_active or not can(user, "api.token"):
        raise TokenRefused(
            "令牌所属账号已停用或无权使用接口令牌",
            message_en="the token's user may not use tokens",
            code="token_user_inactive",
        )
    if found.last_used_at is None or now - found.last_used_at >= USE_WRITE_INTERVAL:
        _record_use(found, now=now, address=address[:64])
    return user


def _record_use(token: ApiToken, *, now: dt.datetime, address: str) -> None:
    with transaction.atomic():
        # Another process may have written this minute already: only one of them counts it.
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - USE_WRITE_INTERVAL)
        if not ApiToken.objects.filter(stale, pk=token.pk).update(
            last_used_at=now, last_used_from=address
        ):
            return
        day = timezone.localtime(now).date()
        use, created = ApiTokenUse.objects.get_or_create(
            token=token, day=day, defaults={"first_at": now, "last_at": now, "address": address}
        )
        if not created:
            ApiTokenUse.objects.filter(pk=use.pk).update(
                last_at=now, minutes=F("minutes") + 1, address=address
            )
            return
        audit.record(
            actor=token.user,
            action="api.token.use",
            obj=token,
            after={"prefix": token.prefix, "day": day, "address": address},
        )
