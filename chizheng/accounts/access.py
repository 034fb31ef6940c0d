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

from chizheng.core.errors import NotFound, PermissionDenied

from .models import Role, ScopeKind, User
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


# What each role may do, beyond reading what it sees. Checked by ``require``.
PERMISSIONS: dict[str, frozenset[str]] = {
    Role.PROGRAMME_OFFICE: frozenset(
        {
            "policy.view",
            "policy.edit",
            "audit.view",
            "audit.verify",
            "person.reveal",
            "calendar.edit",
            "registry.edit",
            "sanction.edit",
            "plan.edit",
            "inspection.record",
            "catalog.edit",
            "subsidy.review",
            "subsidy.standard",
            "notice.handle",
            "voucher.issue",
            "fund.view",
            "online.manage",
            "online.dashboard",
        }
    ),
    Role.CITY_LEADER: frozenset({"policy.view", "audit.view", "online.dashboard"}),
    Role.COUNTY_HR: frozenset(
        {
            "policy.view",
            "person.reveal",
            "registry.edit",
            "inspection.record",
            "subsidy.review",
            "notice.handle",
            "voucher.issue",
            "online.dashboard",
        }
    ),
    Role.INDUSTRY: frozenset({"policy.view", "subsidy.review"}),
    Role.FINANCE: frozenset({"policy.view", "subsidy.review", "fund.manage", "fund.view"}),
    Role.INSPECTOR: frozenset({"policy.view", "inspection.record"}),
    # api.token: issue and revoke the API tokens of one's own institution's systems
    Role.INSTITUTION: frozenset(
        {"policy.view", "class.apply", "subsidy.claim", "voucher.bind", "api.token"}
    ),
    Role.EVALUATOR: frozenset({"policy.view", "assessment.record", "api.token"}),
    Role.PLATFORM: frozenset({"online.upload", "api.token"}),
    Role.WORKER: frozenset(),
}


def can(actor: User | None, action: str) -> bool:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    return action in PERMISSIONS.get(actor.role, frozenset())


def require(actor: User | None, action: str) -> None:
    if not can(actor, action):
        raise PermissionDenied(
            "您的角色无权执行此操作",
            message_en=f"your role may not do {action}",
            detail={"action": action},
        )
