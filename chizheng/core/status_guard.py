"""A status field that only a declared transition may change.

``StateMachine.fire`` is the one way a status changes (docs/architecture.md); a model that
mixes in ``GuardedStatus`` refuses, on save, a status that was assigned any other way — a
form, a service or an admin page setting the field directly — and a new row that does not
start in its initial status. Its machine is a ``GuardedMachine``, which marks the object
while it fires.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from django.db import models

from chizheng.accounts.models import User

from .workflow import StateMachine, TransitionRefused

M = TypeVar("M", bound=models.Model)


class GuardedStatus(models.Model):
    status_field: ClassVar[str] = "status"
    initial_status: ClassVar[str]

    class Meta:
        abstract = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._status_as_saved = getattr(self, self.status_field)
        self._status_firing = False

    def save(self, *args: Any, **kwargs: Any) -> None:
        current = getattr(self, self.status_field)
        if not self._status_firing:
            if self._state.adding and current != self.initial_status:
                raise TransitionRefused(
                    f"新记录的状态只能是“{self._label(self.initial_status)}”",
                    message_en=f"a new row starts in {self.initial_status}",
                    detail={"status": current},
                )
            if not self._state.adding and current != self._status_as_saved:
                raise TransitionRefused(
                    "状态只能通过规定的操作变更，不能直接修改",
                    message_en="the status changes only through its declared transitions",
                    detail={"status": current, "was": self._status_as_saved},
                )
        super().save(*args, **kwargs)
        self._status_as_saved = current

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        super().refresh_from_db(*args, **kwargs)
        self._status_as_saved = getattr(self, self.status_field)

    def _label(self, value: str) -> str:
        field = self._meta.get_field(self.status_field)
        choices = getattr(field, "choices", None) or []
        return str(dict(choices).get(value, value))


class GuardedMachine(StateMachine[M]):
    def fire(self, obj: M, name: str, *, actor: User | None, reason: str = "") -> M:
        obj._status_firing = True  # type: ignore[attr-defined]
        try:
            return super().fire(obj, name, actor=actor, reason=reason)
        finally:
            obj._status_firing = False  # type: ignore[attr-defined]
