"""The city office's dated versions of the subsidy standard: a new amount of one item, from a
date, citing its clause and the original text (``subsidy.standards`` reads them).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from chizheng.accounts.access import require
from chizheng.accounts.models import User
from chizheng.core import audit, clock
from chizheng.core.errors import ValidationError
from chizheng.core.inputs import LONG_TEXT, check_text

from .. import standards
from ..models import StandardVersion
from ..money import cents, check_amount


@transaction.atomic
def standard_version_add(
    *,
    actor: User,
    key: str,
    amount: Decimal,
    valid_from: dt.date,
    clause: str,
    original: str,
    source: str,
    note: str = "",
) -> StandardVersion:
    """The city office enters a new dated amount of one item of the standard."""
    require(actor, "subsidy.standard")
    check_amount(amount)
    check_text(key, field="key", label="标准项目", max_length=40)
    check_text(clause, field="clause", label="条款", max_length=60)
    check_text(original, field="original", label="原文", max_length=LONG_TEXT, multiline=True)
    check_text(source, field="source", label="文件", max_length=100)
    check_text(note, field="note", label="说明", max_length=LONG_TEXT, multiline=True)
    if actor.city_id is None:
        raise ValidationError("须由市级用户录入补贴标准", detail={"field": "city"})
    known = standards.standard_at(valid_from, city_id=actor.city_id).items
    if key not in known:
        raise ValidationError(f"未知的补贴标准项目：{key}", detail={"field": "key"})
    if amount < 0:
        raise ValidationError("金额不能为负数", detail={"field": "amount"})
    if not any(mark in clause for mark in ("§", "附件")):
        raise ValidationError("条款须引用文件条款，如“§20(5)”", detail={"field": "clause"})
    if not original.strip() or not source.strip():
        raise ValidationError("须填写原文和文件名称", detail={"field": "original"})
    if StandardVersion.objects.filter(
        city_id=actor.city_id, key=key, valid_from=valid_from
    ).exists():
        raise ValidationError("该项目在此生效日期已有版本", detail={"field": "valid_from"})
    before = known[key]
    v = StandardVersion.objects.create(
        city_id=actor.city_id,
        key=key,
        amount=cents(amount),
        valid_from=valid_from,
        clause=clause,
        original=original,
        source=source,
        note=note,
        entered_by=actor,
        entered_at=clock.now(),
    )
    audit.record(
        actor=actor,
        action="subsidy.standard_version",
        obj=v,
        before={"key": key, "amount": str(before.amount), "from": str(before.valid_from)},
        after={"key": key, "amount": str(v.amount), "from": str(valid_from)},
        reason=note,
    )
    return v
