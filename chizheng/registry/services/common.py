"""The checks every registry write shares: who may edit the records of a county
(``require_registry_edit``, ``may_edit``), an institution the actor may edit, and a
valid ID number.
"""

from __future__ import annotations

from chizheng.accounts.access import access_by_id, can, require
from chizheng.accounts.models import ScopeKind, User
from chizheng.core import ids
from chizheng.core.errors import PermissionDenied, ValidationError
from chizheng.org.models import County

from ..models import Institution


def _valid_id(number: str) -> str:
    result = ids.check(number)
    if not result.valid:
        raise ValidationError(
            f"身份证号码无效：{result.reason}",
            message_en=f"invalid ID number: {result.reason_en}",
            detail={"field": "id_number", "reason": result.reason},
        )
    return result.number


def require_registry_edit(*, actor: User, county: County) -> None:
    """registry.edit, and a county user only in his own county."""
    require(actor, "registry.edit")
    if actor.scope_kind == ScopeKind.COUNTY and county.pk != actor.county_id:
        raise PermissionDenied(
            "只能登记本县（市、区）的记录",
            message_en="only records of your own county",
            detail={"county": county.code},
        )


def _require_edit(actor: User, county: County) -> None:
    require_registry_edit(actor=actor, county=county)


def _editable_institution(actor: User, institution_id: int) -> Institution:
    inst = access_by_id(actor, Institution.objects.select_related("county"), institution_id)
    _require_edit(actor, inst.county)
    return inst


def may_edit(actor: User) -> bool:
    return can(actor, "registry.edit")
