"""Declared transitions: the one way a status field changes.

An app declares its transitions (``Transition``: the statuses it leaves, the one it reaches,
the roles that may fire it) in a ``StateMachine`` with a function that writes its transition
row. ``fire`` checks the source status and the actor's role, sets the status, writes the row
and an audit event, all in the caller's transaction. Who *within* a role may act (his own
institution, his department, his county) is the services' check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Model

from chizheng.accounts.models import User

from . import audit, clock
from .errors import DomainError

# The role name of the system itself (a daily sweep, a consequence of another step): a
# transition whose roles include it may be fired with ``actor=None``.
SYSTEM = "system"


class TransitionRefused(DomainError):
    code = "transition_refused"
    http_status = 409


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # Chinese, as the UI and the error messages say it
    sources: frozenset[str]
    target: str
    roles: frozenset[str]

    @classmethod
    def of(
        cls, name: str, label: str, sources: Iterable[str], target: str, roles: Iterable[str]
    ) -> Transition:
        return cls(name, label, frozenset(sources), target, frozenset(roles))


M = TypeVar("M", bound=Model)
# (object, transition, status before, actor or None for the system, reason) -> writes the
# app's transition row
Log = Callable[[Any, Transition, str, Any, str], None]


def rows_in(model: type[Model], owner: str) -> Log:
    """The usual ``log``: one row of ``model`` (fields ``owner``, name, from_status,
    to_status, actor, reason, at) per transition fired."""

    def log(obj: Any, t: Transition, before: str, actor: Any, reason: str) -> None:
        model._default_manager.create(
            **{owner: obj},
            name=t.name,
            from_status=before,
            to_status=t.target,
            actor=actor,
            reason=reason,
            at=clock.now(),
        )

    return log


class StateMachine(Generic[M]):
    def __init__(
        self, transitions: Iterable[Transition], *, action: str, log: Log, field: str = "status"
    ) -> None:
        self.transitions = {t.name: t for t in transitions}
        self.action, self.log, self.field = action, log, field

    def fire(self, obj: M, name: str, *, actor: User | None, reason: str = "") -> M:
        t = self.transitions[name]
        current = getattr(obj, self.field)
        label = getattr(obj, f"get_{self.field}_display")()
        if current not in t.sources:
            raise TransitionRefused(
                f"当前状态为“{label}”，不能{t.label}",
                message_en=f"cannot {name} from status {current}",
                detail={"status": current, "transition": name},
            )
        role = actor.role if actor is not None else SYSTEM
        if role not in t.roles:
            who = actor.get_role_display() if actor is not None else "系统"
            raise TransitionRefused(
                f"您的角色（{who}）不能{t.label}",
                message_en=f"role {role} may not {name}",
                code="permission_denied",
                http_status=403,
            )
        setattr(obj, self.field, t.target)
        obj.save(update_fields=[self.field])
        self.log(obj, t, current, actor, reason)
        audit.record(
            actor=actor,
            action=f"{self.action}.{name}",
            obj=obj,
            before={self.field: current},
            after={self.field: t.target},
            reason=reason,
        )
        return obj

    def available(self, obj: M, actor: User) -> list[Transition]:  # what a person may do now
        current = getattr(obj, self.field)
        return [
            t for t in self.transitions.values() if current in t.sources and actor.role in t.roles
        ]
