"""The one permission table: which role may do which action, and over which objects.

Each action (``class.apply``, ``class.review.industry`` …) lists its grants. A grant names a
role and, when the action is done to an object, the path from that object to the owner the
actor must be — his institution, department, county or city, whichever his scope is
(``over="institution.county"``: the object's institution's county is the actor's county).
``over=None``: whatever the actor can see will do (what he sees is scoped by
``access.visible`` already).

Everything that decides who may act asks this table: the state machines (each transition
names an action), the services (``require(actor, action, obj)``), the selectors and the
templates (``{% if actor|can:"class.apply" %}``). Nothing else compares roles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from chizheng.core.errors import PermissionDenied

from .models import Role, ScopeKind, User

# The system itself (a nightly sweep, a consequence of another step) acts with actor=None.
SYSTEM = "system"


@dataclass(frozen=True)
class Grant:
    role: str
    # Dotted path from the object acted on to its owner (``institution``, ``county.city``);
    # None: any object the actor can see.
    over: str | None = None


def _grants(*grants: Grant | str) -> tuple[Grant, ...]:
    return tuple(g if isinstance(g, Grant) else Grant(g) for g in grants)


OFFICE, LEADER, COUNTY = Role.PROGRAMME_OFFICE, Role.CITY_LEADER, Role.COUNTY_HR
INDUSTRY, FINANCE, INSPECTOR = Role.INDUSTRY, Role.FINANCE, Role.INSPECTOR
INSTITUTION, EVALUATOR, PLATFORM, WORKER = (
    Role.INSTITUTION,
    Role.EVALUATOR,
    Role.PLATFORM,
    Role.WORKER,
)

TABLE: dict[str, tuple[Grant, ...]] = {
    # Reading and the office's own work
    "policy.view": _grants(
        OFFICE, LEADER, COUNTY, INDUSTRY, FINANCE, INSPECTOR, INSTITUTION, EVALUATOR
    ),
    "policy.edit": _grants(OFFICE),
    "audit.view": _grants(OFFICE, LEADER),
    "audit.verify": _grants(OFFICE),
    "person.reveal": _grants(OFFICE, COUNTY),
    "calendar.edit": _grants(OFFICE),
    "registry.edit": _grants(OFFICE, COUNTY),
    "sanction.edit": _grants(OFFICE),
    "plan.edit": _grants(OFFICE),
    "catalog.edit": _grants(OFFICE),
    "inspection.record": _grants(OFFICE, COUNTY, INSPECTOR),
    "online.manage": _grants(OFFICE),
    "online.dashboard": _grants(OFFICE, LEADER, COUNTY),
    "online.upload": _grants(PLATFORM),
    "api.token": _grants(INSTITUTION, EVALUATOR, PLATFORM),
    # Subsidies
    "subsidy.review": _grants(OFFICE, COUNTY, INDUSTRY, FINANCE),
    "subsidy.standard": _grants(OFFICE),
    "subsidy.claim": _grants(INSTITUTION),
    "notice.handle": _grants(OFFICE, COUNTY),
    "voucher.issue": _grants(OFFICE, COUNTY),
    "voucher.bind": _grants(INSTITUTION),
    "fund.view": _grants(OFFICE, FINANCE),
    "fund.manage": _grants(FINANCE),
    # Classes
    "class.apply": _grants(INSTITUTION),
    "assessment.record": _grants(EVALUATOR),
    # The review levels of 附件2: a class application, then its subsidy claim.
    "class.review.industry": _grants(Grant(INDUSTRY, "department")),
    "class.review.hr": _grants(
        Grant(OFFICE, "institution.county.city"), Grant(COUNTY, "institution.county")
    ),
    "claim.review.industry": _grants(Grant(INDUSTRY, "department")),
    "claim.review.hr": _grants(Grant(OFFICE, "county.city"), Grant(COUNTY, "county")),
    "claim.review.finance": _grants(Grant(FINANCE, "county.city")),
}
# WORKER is granted nothing here: a trainee acts only on himself, through his own pages.
del WORKER


def _role(actor: User | None) -> str | None:
    if actor is None:
        return SYSTEM
    if not actor.is_authenticated or not actor.is_active:
        return None
    return str(actor.role)


def _owner_id(actor: User) -> int | None:
    """The id of what the actor's scope is: his city, county, department, institution or
    himself (the person he is)."""
    return {
        ScopeKind.CITY: actor.city_id,
        ScopeKind.COUNTY: actor.county_id,
        ScopeKind.DEPARTMENT: actor.department_id,
        ScopeKind.INSTITUTION: actor.institution_id,
        ScopeKind.SELF: actor.person_id,
    }[actor.scope_kind]


def owner_of(obj: Any, path: str) -> int | None:
    """The id at the end of ``path`` from ``obj`` (``institution.county`` → the id of the
    object's institution's county); the last step reads the ``<name>_id`` column when there
    is one, so no row is loaded for it."""
    *walk, last = path.split(".")
    for step in walk:
        obj = getattr(obj, step)
        if obj is None:
            return None
    raw = getattr(obj, f"{last}_id", None)
    if raw is None:
        value = getattr(obj, last, None)
        raw = getattr(value, "pk", value)
    return int(raw) if raw is not None else None


def _check(action: str) -> tuple[Grant, ...]:
    try:
        return TABLE[action]
    except KeyError:
        raise KeyError(f"no such action in the permission table: {action}") from None


def roles(action: str) -> frozenset[str]:
    """The roles granted ``action`` (over some object or any)."""
    return frozenset(g.role for g in _check(action))


def can(actor: User | None, action: str, obj: Any = None) -> bool:
    """Whether the actor may do ``action`` — to ``obj`` when given (his grant's path from it
    must reach his own institution, department, county or city). ``actor=None`` is the
    system."""
    grants = _check(action)
    role = _role(actor)
    if role is None:
        return False
    for grant in grants:
        if grant.role != role:
            continue
        if obj is None or grant.over is None or actor is None:
            return True
        owner = _owner_id(actor)
        if owner is not None and owner_of(obj, grant.over) == owner:
            return True
    return False


def require(actor: User | None, action: str, obj: Any = None, *, message: str = "") -> None:
    """Raise ``PermissionDenied`` unless ``can(actor, action, obj)``; ``message`` (Chinese)
    says what was refused when the role has the action but not over this object."""
    if can(actor, action, obj):
        return
    if obj is not None and can(actor, action):
        raise PermissionDenied(
            message or "该事项不在您的管辖范围内",
            message_en=f"{action} is not yours to do on this object",
            detail={"action": action},
        )
    raise PermissionDenied(
        "您的角色无权执行此操作",
        message_en=f"your role may not do {action}",
        detail={"action": action},
    )


def actions_of(role: str) -> frozenset[str]:
    """Every action granted to ``role`` (for a role's page of rights, the import help)."""
    return frozenset(a for a, grants in TABLE.items() if any(g.role == role for g in grants))


def any_of(actor: User | None, actions: Iterable[str]) -> bool:
    return any(can(actor, a) for a in actions)
