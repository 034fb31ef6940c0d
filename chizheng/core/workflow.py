"""Declared transitions: the one way a status field changes.

An app declares its transitions (``Transition``: the statuses it leaves, the one it reaches,
the action of the permission table that fires it) in a ``StateMachine`` with a function that
writes its transition row. ``fire`` checks the source status and asks the table whether the
actor's role has the action (``permissions.can(actor, t.action)``; ``actor=None`` is the
system, which fires only what the table grants ``SYSTEM``), sets the status, writes the row
and an audit event, all in the caller's transaction. Whether the object is the actor's own
(his institution, his department, his county) the services ask the same table with the
object before they fire.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Model

from chizheng.accounts import permissions
from chizheng.accounts.models import User

from . import audit, clock
from .errors import DomainError

# The system itself (a daily sweep, a consequence of another step) fires with ``actor=None``:
# a transition whose action the table grants ``SYSTEM`` (re-exported here for the machines).
SYSTEM = permissions.SYSTEM


class TransitionRefused(DomainError):
    code = "transition_refused"
    http_status = 409


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # Chinese, as the UI and the error messages say it
    sources: frozenset[str]
    target: str
    action: str  # of the permission table (``accounts.permissions.TABLE``)

    @classmethod
    def of(
        cls, name: str, label: str, sources: Iterable[str], target: str, *, action: str
    ) -> Transition:
        permissions.roles(action)  # a misspelt action fails when the machine is declared
        return cls(name, label, frozenset(sources), target, action)


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
        if not permissions.can(actor, t.action):
            who = actor.get_role_display() if actor is not None else "系统"
            raise TransitionRefused(
                f"您的角色（{who}）不能{t.label}",
                message_en=f"this role may not {name} ({t.action})",
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

    def available(self, obj: M, actor: User | None) -> list[Transition]:
        """What the actor's role may fire now (whether the object is his own is the caller's
        question: ``permissions.can(actor, t.action, obj)``)."""
        current = getattr(obj, self.field)
        return [
            t
            for t in self.transitions.values()
            if current in t.sources and permissions.can(actor, t.action)
        ]
