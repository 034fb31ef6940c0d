"""The one access layer: what an actor may read and do.

Every list, page, export, search and API response goes through ``visible`` (reads) and
``access_by_id`` (one object: missing and forbidden both say "not found"); every action
through ``require``. Deny by default: a model without ``access_scope`` or an actor whose
scope the model does not declare sees nothing.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet

from chizheng.core.errors import NotFound

from . import permissions
from .models import ScopeKind, User
from .scope import Scope

M = TypeVar("M", bound=Model)


def scope_of(model: type[Model]) -> Scope | None:
    return getattr(model, "access_scope", None)


def visible(actor: User | None, qs: QuerySet[M]) -> QuerySet[M]:
    """The part of ``qs`` the actor may read."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return qs.none()
    scope = scope_of(qs.model)
    if scope is None:
        return qs.none()
    if scope.reference:
        return qs
    kind = actor.scope_kind
    if kind == ScopeKind.CITY:
        if scope.city and actor.city_id:
            return _owned(qs, scope.city, actor.city_id)
        return qs.none()
    path, owner = {
        ScopeKind.COUNTY: (scope.county, actor.county_id),
        ScopeKind.DEPARTMENT: (scope.department, actor.department_id),
        ScopeKind.INSTITUTION: (scope.institution, actor.institution_id),
        ScopeKind.SELF: (scope.person, actor.person_id),
    }[kind]
    if path is None or owner is None:
        return qs.none()
    return _owned(qs, path, owner)


def _owned(qs: QuerySet[M], path: str | tuple[str, ...], owner: int) -> QuerySet[M]:
    paths = (path,) if isinstance(path, str) else path
    condition = Q()
    for p in paths:
        condition |= Q(**{p: owner})
    if len(paths) == 1:
        return qs.filter(condition)
    # Alternative paths join more tables and can match a row twice; a subquery keeps each
    # row once without DISTINCT (which PostgreSQL refuses with SELECT … FOR UPDATE).
    return qs.filter(pk__in=qs.model._default_manager.filter(condition).values("pk"))


def access_by_id(actor: User | None, qs: QuerySet[M], pk: object) -> M:
    """One object the actor may read, or ``NotFound`` — whether missing or forbidden."""
    try:
        return visible(actor, qs).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise NotFound(
            "记录不存在或无权查看", message_en="not found", detail={"id": str(pk)}
        ) from None


# What a role may do is the permission table's (``accounts.permissions``); these are its
# questions, re-exported for the callers of the access layer.
can = permissions.can
require = permissions.require
