"""Splitting a city total among units by weights (附件1 备注), largest-remainder method.

Pure Python, no Django. The total is cut into whole *units* (0.01万 in 附件1); every unit
first receives the whole units of its exact quota, and the units left over go one each to
the largest remainders. So the parts sum exactly to the total and each part is within one
unit of its exact quota. Units fixed by hand (the document's 汝州 row does not follow the
stated formula) keep their value; the rest of the total is re-allocated among the others.

Quotas are computed with ``fractions.Fraction`` — exact rationals, never floats — and every
input and output is a ``Decimal``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from chizheng.core.errors import ValidationError

METHOD = "largest_remainder"


class AllocationError(ValidationError):
    code = "allocation_invalid"


@dataclass(frozen=True)
class Part:
    name: str
    weight: Decimal
    value: Decimal
    quota: Fraction  # the exact share of the total this unit would get (fixed: its value)
    fixed: bool


@dataclass(frozen=True)
class Allocation:
    total: Decimal
    unit: Decimal
    method: str
    parts: tuple[Part, ...]

    def values(self) -> dict[str, Decimal]:
        return {p.name: p.value for p in self.parts}


def _units(amount: Decimal, unit: Decimal, what: str) -> int:
    """``amount`` as a whole number of ``unit``; raises if it is not one."""
    count = Fraction(amount) / Fraction(unit)
    if count.denominator != 1:
        raise AllocationError(
            f"{what}（{amount}）不是分配单位 {unit} 的整数倍",
            message_en=f"{what} {amount} is not a whole multiple of the unit {unit}",
            detail={"value": str(amount), "unit": str(unit)},
        )
    return int(count)


def allocate(
    *,
    total: Decimal,
    weights: Sequence[tuple[str, Decimal]],
    unit: Decimal,
    fixed: Mapping[str, Decimal] | None = None,
) -> Allocation:
    """Split ``total`` among the named units in proportion to their weights.

    ``weights`` keeps the caller's order (附件1 序号), which also breaks ties between equal
    remainders: the earlier unit gets the extra unit.
    """
    fixed = dict(fixed or {})
    for value in (total, unit, *(w for _, w in weights), *fixed.values()):
        if not isinstance(value, Decimal) or not value.is_finite():
            raise AllocationError(
                f"数值无效：{value!r}",
                message_en=f"not a finite Decimal: {value!r}",
                detail={"value": repr(value)},
            )
    if unit <= 0:
        raise AllocationError(
            "分配单位必须大于0", message_en="the unit must be positive", detail={"unit": str(unit)}
        )
    if total < 0:
        raise AllocationError(
            "总数不能为负数",
            message_en="the total must not be negative",
            detail={"total": str(total)},
        )
    names = [name for name, _ in weights]
    if not names:
        raise AllocationError("没有可分配的单位", message_en="no units to allocate to")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise AllocationError(
            f"单位名称重复：{'、'.join(duplicates)}",
            message_en=f"duplicate unit names: {duplicates}",
            detail={"names": duplicates},
        )
    negative = [name for name, w in weights if w < 0]
    if negative:
        raise AllocationError(
            f"权重不能为负数：{'、'.join(negative)}",
            message_en=f"negative weights: {negative}",
            detail={"names": negative},
        )
    unknown = sorted(set(fixed) - set(names))
    if unknown:
        raise AllocationError(
            f"固定值的单位不在权重表中：{'、'.join(unknown)}",
            message_en=f"fixed units not in the weights: {unknown}",
            detail={"names": unknown},
        )
    bad_fixed = sorted(name for name, v in fixed.items() if v < 0)
    if bad_fixed:
        raise AllocationError(
            f"固定值不能为负数：{'、'.join(bad_fixed)}",
            message_en=f"negative fixed values: {bad_fixed}",
            detail={"names": bad_fixed},
        )

    total_units = _units(total, unit, "总数")
    fixed_units = {name: _units(v, unit, f"{name}的固定值") for name, v in fixed.items()}
    free_units = total_units - sum(fixed_units.values())
    if free_units < 0:
        raise AllocationError(
            f"固定值合计（{sum(fixed.values(), Decimal(0))}）超过总数（{total}）",
            message_en="the fixed values exceed the total",
            detail={"fixed": str(sum(fixed.values(), Decimal(0))), "total": str(total)},
        )
    free = [(name, Fraction(w)) for name, w in weights if name not in fixed]
    weight_sum = sum((w for _, w in free), Fraction(0))
    if free_units > 0 and weight_sum == 0:
        raise AllocationError(
            "未固定单位的权重合计为0，无法分配剩余数",
            message_en="the units that are not fixed have zero total weight",
            detail={"remaining": str(free_units * unit)},
        )
    if not free and free_units != 0:
        raise AllocationError(
            "全部单位均已固定，但固定值合计不等于总数",
            message_en="every unit is fixed but the fixed values do not sum to the total",
        )

    quotas = {name: free_units * w / weight_sum if weight_sum else Fraction(0) for name, w in free}
    floors = {name: q.numerator // q.denominator for name, q in quotas.items()}
    left = free_units - sum(floors.values())
    position = {name: i for i, name in enumerate(names)}
    by_remainder = sorted(quotas, key=lambda n: (-(quotas[n] - floors[n]), position[n]))
    for name in by_remainder[:left]:
        floors[name] += 1

    unit_f = Fraction(unit)
    parts = []
    for name, w in weights:
        if name in fixed_units:
            count, quota, is_fixed = fixed_units[name], Fraction(fixed_units[name]), True
        else:
            count, quota, is_fixed = floors[name], quotas[name], False
        parts.append(
            Part(
                name=name,
                weight=w,
                value=(unit * count).quantize(unit),
                quota=quota * unit_f,
                fixed=is_fixed,
            )
        )
    return Allocation(total=total, unit=unit, method=METHOD, parts=tuple(parts))
