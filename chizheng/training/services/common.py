"""What every stage of the class lifecycle shares: the class look-ups (``_classes``, and
``_own_class``: the applicant's own class, row-locked), the statuses in which an
application may still be changed, and the ``RulesFailed`` error.
"""

from __future__ import annotations

from typing import Any

from chizheng.accounts.access import access_by_id
from chizheng.accounts.models import Role, User
from chizheng.core.errors import DomainError, PermissionDenied

from ..models import Status, TrainingClass


class RulesFailed(DomainError):
    code = "rules_failed"
    http_status = 422


EDITABLE = {Status.DRAFT, Status.RETURNED}


def _classes() -> Any:
    return TrainingClass.objects.select_related("institution__county", "department", "platform")


def _own_class(actor: User, class_id: int) -> TrainingClass:
    """A class of the actor's own institution, locked for update."""
    training_class = access_by_id(actor, _classes().select_for_update(of=("self",)), class_id)
    if actor.role != Role.INSTITUTION or training_class.institution_id != actor.institution_id:
        raise PermissionDenied(
            "只有申请机构本身可以进行此操作", message_en="only the applicant may do this"
        )
    return training_class
