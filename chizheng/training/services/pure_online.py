"""The city office's list of occupations allowed for pure-online classes (§20(3): 严格控制纯线上
培训职业（工种）数量): adding an occupation from a date, and taking it off from a date. The
class submission reads the list (``application._check_mode``); every change is an audit row,
which is the list's history.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from chizheng.accounts.access import access_by_id, require
from chizheng.accounts.models import User
from chizheng.core import audit
from chizheng.core.errors import ValidationError
from chizheng.registry import services as registry

from ..models import PureOnlineOccupation


@transaction.atomic
def pure_online_allow(
    *, actor: User, occupation_code: str, valid_from: dt.date, reason: str
) -> PureOnlineOccupation:
    """The city office adds an occupation to the pure-online list from ``valid_from``."""
    require(actor, "pure_online.edit")
    occupation = registry.occupation_for_code(occupation_code)
    overlapping = PureOnlineOccupation.objects.filter(occupation=occupation).exclude(
        valid_until__lt=valid_from
    )
    if overlapping.exists():
        raise ValidationError(
            f"{occupation.code} {occupation.name}已在纯线上培训职业清单内",
            message_en="already on the pure-online list",
            code="duplicate",
            detail={"field": "occupation_code"},
        )
    item = PureOnlineOccupation.objects.create(
        occupation=occupation, valid_from=valid_from, decided_by=actor, reason=reason.strip()
    )
    audit.record(
        actor=actor,
        action="pure_online.allow",
        obj=item,
        after={"occupation": occupation.code, "from": valid_from},
        reason=reason.strip(),
    )
    return item


@transaction.atomic
def pure_online_end(
    *, actor: User, item_id: int, valid_until: dt.date, reason: str = ""
) -> PureOnlineOccupation:
    """Take an occupation off the list: classes starting after ``valid_until`` may no longer
    be pure-online in it; the row stays, so classes already approved keep their grounds."""
    require(actor, "pure_online.edit")
    item = access_by_id(
        actor,
        PureOnlineOccupation.objects.select_for_update().select_related("occupation"),
        item_id,
    )
    if item.valid_until is not None and item.valid_until <= valid_until:
        raise ValidationError(
            f"{item.occupation.name}已于{item.valid_until}移出清单",
            message_en="already off the list",
            detail={"field": "valid_until"},
        )
    if valid_until < item.valid_from:
        raise ValidationError(
            "截止日期早于起始日期",
            message_en="ends before it starts",
            detail={"field": "valid_until"},
        )
    before = item.valid_until
    item.valid_until = valid_until
    item.save(update_fields=["valid_until"])
    audit.record(
        actor=actor,
        action="pure_online.end",
        obj=item,
        before={"valid_until": before},
        after={"occupation": item.occupation.code, "valid_until": valid_until},
        reason=reason.strip(),
    )
    return item
