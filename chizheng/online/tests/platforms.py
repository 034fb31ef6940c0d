"""A platform ready to upload, for the tests: its code and an API token of its user."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chizheng.accounts.models import Role, User
from chizheng.accounts.tokens import token_issue
from chizheng.online.platforms import platform_code_register
from chizheng.registry.models import Institution


def issue_platform_token(
    office: User, platform: Institution, code: str, make_user: Callable[..., Any]
) -> str:
    """Register ``code`` for ``platform`` (the office) and issue an API token to a new user
    of the platform (as a platform's user does on the token page); the clear token."""
    platform_code_register(actor=office, institution=platform, code=code)
    uploader = make_user(Role.PLATFORM, institution=platform)
    return token_issue(actor=uploader, name=f"{code} 上传", days=90)[1]
