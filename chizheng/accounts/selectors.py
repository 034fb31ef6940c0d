"""Reads of the accounts area: the API tokens an actor may see (his institution's)."""

from __future__ import annotations

from django.db.models import QuerySet

from .access import visible
from .models import ApiToken, User


def token_list(*, actor: User) -> QuerySet[ApiToken]:
    return visible(actor, ApiToken.objects.select_related("user", "revoked_by")).order_by(
        "-created_at", "-id"
    )
