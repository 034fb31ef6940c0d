"""Allocating an indicator to the counties through the service: targets, record, audit."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from chizheng.accounts.models import Role, User
from chizheng.core.errors import PermissionDenied, ValidationError
from chizheng.core.models import AuditEvent
from chizheng.org.models import County
from chizheng.plan.models import Allocation, CountyTarget, Plan
from chizheng.plan.services import allocation_apply


def _weights() -> dict[str, Decimal]:
    return {c.code: Decimal(c.order) for c in County.objects.all()}


def test_allocation_sets_targets_and_records_method_and_adjustments(
    plan: Plan, make_user: Callable[..., User]
) -> None:
    actor = make_user(Role.PROGRAMME_OFFICE)
    indicator = plan.indicators.get(code="new_high_skilled")
    record = allocation_apply(
        actor=actor,
        indicator=indicator,
        weights=_weights(),
        unit=Decimal("0.01"),
        basis="employment",
        fixed={"410482": (Decimal("0.70"), "按附件1")},
        note="2020年就业人数",
    )
    targets = CountyTarget.objects.filter(indicator=indicator)
    assert sum(t.target for t in targets) == Decimal("5.7")
    assert targets.get(county__code="410482").target == Decimal("0.70")
    assert record.method == Allocation.Method.LARGEST_REMAINDER
    assert record.adjustments == [{"county": "410482", "value": "0.70", "reason": "按附件1"}]
    assert AuditEvent.objects.filter(action="plan.allocate", object_id=str(record.pk)).exists()


def test_only_the_programme_office_allocates(
    plan: Plan, make_user: Callable[..., User], county: Callable[[str], County]
) -> None:
    actor = make_user(Role.COUNTY_HR, county=county("410402"))
    with pytest.raises(PermissionDenied):
        allocation_apply(
            actor=actor,
            indicator=plan.indicators.get(code="training"),
            weights=_weights(),
            unit=Decimal("0.01"),
        )


def test_missing_county_weights_are_named(plan: Plan, make_user: Callable[..., User]) -> None:
    weights = _weights()
    del weights["410471"]
    with pytest.raises(ValidationError, match="410471"):
        allocation_apply(
            actor=make_user(Role.PROGRAMME_OFFICE),
            indicator=plan.indicators.get(code="training"),
            weights=weights,
            unit=Decimal("0.01"),
        )


def test_another_citys_office_cannot_allocate(make_user: Callable[..., User]) -> None:
    from chizheng.accounts.models import Role
    from chizheng.core.errors import NotFound
    from chizheng.org.models import City
    from chizheng.plan.services import allocation_apply, plan_load

    plan = plan_load()
    other = make_user(Role.PROGRAMME_OFFICE, city=City.objects.create(code="410300", name="洛阳市"))
    indicator = plan.indicators.get(code="training")
    with pytest.raises(NotFound):
        allocation_apply(actor=other, indicator=indicator, weights={}, unit=Decimal("0.01"))
