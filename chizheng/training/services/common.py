"""What every stage of the class lifecycle shares: the class look-ups (``_classes``, and
``_own_class``: the applicant's own class, row-locked), the statuses in which an
application may still be changed, and the ``RulesFailed`` error.
"""

from __future__ import annotations

from typing import Any

from chizheng.accounts.access import access_by_id, require
from chizheng.accounts.models import User
from chizheng.core.errors import DomainError

from ..models import Status, TrainingClass


class RulesFailed(DomainError):
    code = "rules_failed"
    http_status = 422


EDITABLE = {Status.DRAFT, Status.RETURNED}


def _classes() -> Any:
    return TrainingClass.objects.select_related("institution__county", "department", "platform")


def _own_class(actor: User, class_id: int, action: str = "class.apply") -> TrainingClass:
    """A class the actor may do ``action`` to (the table grants it over the class's own
    institution), locked for update."""
    training_class = access_by_id(actor, _classes().select_for_update(of=("self",)), class_id)
    require(
        actor,
        action,
        training_class,
        message="只有申请机构本身可以进行此操作",
        message_en="only the applicant may do this",
    )
    return training_class
