"""The pure largest-remainder allocation (chizheng.rules.allocation), with property tests."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chizheng.rules.allocation import AllocationError, allocate

D = Decimal
UNIT = D("0.01")
# 附件1's training column, in the document's order (used as weights below).
ATTACHMENT1_TRAINING = [
    ("汝州市", "3.00"),
    ("舞钢市", "1.17"),
    ("宝丰县", "2.00"),
    ("郏 县", "2.02"),
    ("鲁山县", "3.14"),
    ("叶 县", "2.80"),
    ("新华区", "1.34"),
    ("卫东区", "1.26"),
    ("湛河区", "1.38"),
    ("石龙区", "0.17"),
    ("示范区", "0.51"),
    ("高新区", "0.21"),
]


def test_document_column_as_weights_reproduces_itself() -> None:
    weights = [(n, D(v)) for n, v in ATTACHMENT1_TRAINING]
    result = allocate(total=D("19"), weights=weights, unit=UNIT)
    assert [(p.name, str(p.value)) for p in result.parts] == ATTACHMENT1_TRAINING


def test_fixed_unit_is_kept_and_the_rest_reallocated() -> None:
    weights = [(n, D(v)) for n, v in ATTACHMENT1_TRAINING]
    result = allocate(total=D("15"), weights=weights, unit=UNIT, fixed={"汝州市": D("2.00")})
    values = result.values()
    assert values["汝州市"] == D("2.00")
    assert sum(values.values()) == D("15")
    # The others share 13.00 in proportion to the training column (16.00 without 汝州).
    assert values["鲁山县"] == D("2.55") and values["高新区"] == D("0.17")


def test_largest_remainders_get_the_leftover_units_and_ties_go_in_order() -> None:
    result = allocate(total=D("1"), weights=[("a", D(1)), ("b", D(1)), ("c", D(1))], unit=UNIT)
    assert [p.value for p in result.parts] == [D("0.34"), D("0.33"), D("0.33")]
    # 3 units of 3: quotas 0.3, 0.6, 2.1 → floors 0, 0, 2; the one left goes to b (remainder 0.6).
    result = allocate(total=D("9"), weights=[("a", D(1)), ("b", D(2)), ("c", D(7))], unit=D(3))
    assert result.values() == {"a": D(0), "b": D(3), "c": D(6)}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weights": [("a", D(-1)), ("b", D(2))]}, "权重不能为负数"),
        ({"fixed": {"x": D(1)}}, "固定值的单位不在权重表中"),
        ({"fixed": {"a": D(20)}}, "固定值合计（20）超过总数（19）"),
        ({"weights": [("a", D(0)), ("b", D(0))]}, "权重合计为0"),
        ({"unit": D(0)}, "分配单位必须大于0"),
        ({"total": D("19.005")}, "不是分配单位 0.01 的整数倍"),
        ({"weights": [("a", D(1)), ("a", D(2))]}, "单位名称重复"),
    ],
)
def test_errors_are_explained_in_chinese(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {
        "total": D("19"),
        "weights": [("a", D(1)), ("b", D(2))],
        "unit": UNIT,
    }
    args.update(kwargs)
    with pytest.raises(AllocationError, match=message) as err:
        allocate(**args)  # type: ignore[arg-type]
    assert err.value.code == "allocation_invalid"


weights_st = st.lists(
    st.decimals(min_value=0, max_value=10_000_000, places=3, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=15,
).filter(lambda ws: sum(ws) > 0)


@settings(max_examples=300, deadline=None)
@given(weights=weights_st, total_units=st.integers(min_value=0, max_value=10_000_000))
def test_parts_sum_exactly_and_each_is_within_one_unit_of_its_quota(
    weights: list[Decimal], total_units: int
) -> None:
    total = UNIT * total_units
    named = [(f"u{i}", w) for i, w in enumerate(weights)]
    result = allocate(total=total, weights=named, unit=UNIT)
    assert sum(p.value for p in result.parts) == total
    weight_sum = sum(Fraction(w) for w in weights)
    for p in result.parts:
        exact = Fraction(total) * Fraction(p.weight) / weight_sum
        assert p.quota == exact
        assert abs(Fraction(p.value) - exact) < Fraction(UNIT)
        assert p.value >= 0 and p.value % UNIT == 0


@settings(max_examples=300, deadline=None)
@given(
    weights=weights_st,
    total_units=st.integers(min_value=0, max_value=1_000_000),
    data=st.data(),
)
def test_fixed_units_are_honoured_and_the_rest_split_by_weight(
    weights: list[Decimal], total_units: int, data: st.DataObject
) -> None:
    names = [f"u{i}" for i in range(len(weights))]
    chosen = data.draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names) - 1))
    budget = total_units
    fixed: dict[str, Decimal] = {}
    for name in chosen:
        units = data.draw(st.integers(min_value=0, max_value=budget))
        budget -= units
        fixed[name] = UNIT * units
    free = [(n, w) for n, w in zip(names, weights, strict=True) if n not in fixed]
    if budget > 0 and sum(w for _, w in free) == 0:
        with pytest.raises(AllocationError):
            allocate(
                total=UNIT * total_units,
                weights=list(zip(names, weights, strict=True)),
                unit=UNIT,
                fixed=fixed,
            )
        return
    result = allocate(
        total=UNIT * total_units,
        weights=list(zip(names, weights, strict=True)),
        unit=UNIT,
        fixed=fixed,
    )
    values = result.values()
    assert sum(values.values()) == UNIT * total_units
    for name, value in fixed.items():
        assert values[name] == value
    free_sum = sum(Fraction(w) for _, w in free)
    for name, w in free:
        exact = Fraction(UNIT * budget) * Fraction(w) / free_sum if free_sum else Fraction(0)
        assert abs(Fraction(values[name]) - exact) < Fraction(UNIT)


def test_fixed_sum_equal_to_total_leaves_zero_for_the_rest() -> None:
    result = allocate(
        total=D("1"), weights=[("a", D(1)), ("b", D(1))], unit=UNIT, fixed={"a": D("1")}
    )
    assert result.values() == {"a": D("1.00"), "b": D("0.00")}
