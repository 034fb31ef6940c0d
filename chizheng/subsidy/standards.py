"""The subsidy standard in force on a day: ``policy/parameters/subsidy.yaml`` merged with
the dated versions the city office enters (``StandardVersion``), the later date winning per
item. Reading never defaults: a day with no YAML version raises ``PolicyNotInForce``."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from chizheng.rules import params

from .models import StandardVersion

PARAMETER = "subsidy.standard"

LABELS: dict[str, str] = {
    "level_5": "职业资格/技能等级 初级工（五级）",
    "level_4": "职业资格/技能等级 中级工（四级）",
    "level_3": "职业资格/技能等级 高级工（三级）",
    "level_2": "职业资格/技能等级 技师（二级）",
    "level_1": "职业资格/技能等级 高级技师（一级）",
    "training_pass": "培训合格证书",
    "special_operation": "特种作业操作证",
    "special_operation_reexam": "特种作业复审培训",
    "special_ability": "专项职业能力证书",
    "apprenticeship_level_4": "企业新型学徒制 中级工（每人每年）",
    "apprenticeship_level_3": "企业新型学徒制 高级工（每人每年）",
}


@dataclass(frozen=True)
class Item:
    key: str
    amount: Decimal
    valid_from: dt.date
    clause: str
    source: str
    original: str
    note: str
    origin: str  # "policy" (the YAML file) or "office" (entered in the UI)

    @property
    def label(self) -> str:
        return LABELS.get(self.key, self.key)


@dataclass(frozen=True)
class Standard:
    day: dt.date
    items: dict[str, Item]
    fingerprint: str

    def amount(self, key: str) -> Decimal | None:
        item = self.items.get(key)
        return item.amount if item else None


APPRENTICESHIP_PREFIX = "apprenticeship_level_"


def apprenticeship_levels() -> frozenset[int]:
    """The levels the apprenticeship standard (企业新型学徒制) has an amount for in any version
    of the policy: the ``apprenticeship_level_N`` items of ``subsidy.standard``."""
    return frozenset(
        int(key.removeprefix(APPRENTICESHIP_PREFIX))
        for version in params.current().parameter(PARAMETER).versions
        for key in version.value
        if key.startswith(APPRENTICESHIP_PREFIX)
    )


def key_for(kind: str, level: int | None, *, apprenticeship: bool = False) -> str | None:
    """Which item of the standard a certificate earns (None: the standard has no amount).

    An apprentice's certificate earns the apprenticeship item of its level where the policy
    has one; whether the item is in force on a given day is the standard's (``amount``)."""
    if kind in ("vocational_qualification", "skill_level"):
        if level is None:
            return None
        if apprenticeship:
            covered = level in apprenticeship_levels()
            return f"{APPRENTICESHIP_PREFIX}{level}" if covered else None
        return f"level_{level}"
    if kind in ("training_pass", "special_operation", "special_ability"):
        return kind
    return None


def standard_at(day: dt.date, *, city_id: int | None = None) -> Standard:
    """The standard in force on ``day`` for a city: the policy file's values, overridden by
    the versions that city's office entered (none when no city is given)."""
    version = params.current().version(PARAMETER, day)
    items = {
        key: Item(
            key,
            Decimal(str(value)),
            version.valid_from,
            version.clause,
            version.source,
            version.original,
            version.note,
            "policy",
        )
        for key, value in version.value.items()
    }
    versions = (
        StandardVersion.objects.filter(valid_from__lte=day, city_id=city_id) if city_id else []
    )
    for v in sorted(versions, key=lambda v: (v.valid_from, v.pk)):
        if v.key in items and v.valid_from >= items[v.key].valid_from:
            items[v.key] = Item(
                v.key, v.amount, v.valid_from, v.clause, v.source, v.original, v.note, "office"
            )
    digest = hashlib.sha256(
        "|".join(
            f"{i.key}={i.amount}@{i.valid_from}/{i.origin}"
            for i in sorted(items.values(), key=lambda i: i.key)
        ).encode()
    )
    return Standard(day, items, digest.hexdigest()[:16])
