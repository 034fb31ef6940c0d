"""Template context of every page: the signed-in actor and the name of his role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def actor(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"actor": None}
    return {
        "actor": user,
        "actor_role": user.get_role_display() if hasattr(user, "get_role_display") else "",
    }
