"""What the registry endpoints share: the actor, a page of a list, the constrained query
types, and the endpoints' operation ids."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest

from chizheng.accounts.models import User
from chizheng.api.pagination import page_of as page_of
from chizheng.api.types import Text

Query = Annotated[str, Text(100)]  # a search text
CountyCode = Annotated[str, Text(12)]
OccupationCode = Annotated[str, Text(20)]


def operation_id(name: str) -> str:
    """The id the endpoint had when the registry's API was one module (ninja derives ids from
    the module's name): kept, so the OpenAPI document and the clients built on it stay the same."""
    return f"chizheng_registry_api_{name}"


def actor_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user
