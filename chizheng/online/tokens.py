"""Issuing and checking platform tokens (the write and the lookup)."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

from chizheng.accounts.access import access_by_id, require
from chizheng.accounts.models import User
from chizheng.core import audit, clock
from chizheng.core.errors import ValidationError
from chizheng.registry.models import Institution

from .models import PlatformToken

PREFIX = "czol_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_platform_token(*, actor: User | None, institution: Institution, code: str) -> str:
    """A new token for the platform (replacing any earlier one); returned once, in clear."""
    require(actor, "registry.edit")
    # the institution must be in the actor's scope (a county cannot take over another's platform)
    institution = access_by_id(actor, Institution.objects.all(), institution.pk)
    from .store import check_platform  # here: the store loads Arrow, the API imports this module

    check_platform(code)
    if institution.kind != Institution.Kind.PLATFORM:
        raise ValidationError(
            f"{institution.name} 不是线上平台，不能签发上传令牌",
            message_en="only an online platform gets an upload token",
            code="online_not_platform",
        )
    token = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        taken = PlatformToken.objects.filter(code=code).exclude(institution=institution).exists()
        if taken:
            raise ValidationError(
                f"平台代码 {code} 已被其他平台使用",
                code="online_code_taken",
                message_en=f"platform code {code} is taken",
            )
        row, created = PlatformToken.objects.update_or_create(
            institution=institution,
            defaults={
                "code": code,
                "token_hash": digest(token),
                "token_prefix": token[:12],
                "issued_at": clock.now(),
                "issued_by": actor,
                "revoked": False,
            },
        )
        audit.record(
            actor=actor,
            action="online.token.issue" if created else "online.token.rotate",
            obj=row,
            after={"code": code, "prefix": row.token_prefix},
        )
    return token


def platform_for_token(token: str) -> PlatformToken | None:
    if not token.startswith(PREFIX):
        return None
    return (
        PlatformToken.objects.select_related("institution")
        .filter(token_hash=digest(token), revoked=False)
        .first()
    )
