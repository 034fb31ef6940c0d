"""Writes to the plan: loading a plan document (idempotent), allocating targets to counties,
and keeping the certificate tally in step with the certificates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from chizheng.accounts.access import require
from chizheng.accounts.models import User
from chizheng.core import audit, clock
from chizheng.core.errors import NotFound, ValidationError
from chizheng.org.models import City, County, Department
from chizheng.org.services import load_reference
from chizheng.rules import allocation as allocation_rules
from chizheng.rules import params

from .models import Allocation, CountyTarget, Indicator, Plan, Programme, ProgrammeUnit
from .tally import tally_refresh

REFERENCE_DIR = Path(__file__).parent / "reference"
PINGDINGSHAN_2022 = REFERENCE_DIR / "pingdingshan-2022.yaml"


class PlanDataError(ValidationError):
    code = "plan_data_invalid"


def _dec(raw: Any) -> Decimal:
    return Decimal(str(raw))


@transaction.atomic
def plan_load(*, path: Path = PINGDINGSHAN_2022, actor: User | None = None) -> Plan:
    """Load a plan document; loading it again changes nothing (update in place)."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    city = City.objects.filter(code=doc["city"]).first() or load_reference()
    issued_on = (
        doc["issued_on"]
        if isinstance(doc["issued_on"], dt.date)
        else dt.date.fromisoformat(doc["issued_on"])
    )
    plan, created = Plan.objects.update_or_create(
        city=city,
        year=doc["year"],
        defaults={
            "title": doc["title"],
            "source": doc["source"],
            "issued_on": issued_on,
            "issued_by": doc["issued_by"],
        },
    )
    policy = params.current()
    by_code: dict[str, Indicator] = {}
    for order, row in enumerate(doc["indicators"], start=1):
        if "policy" in row:
            target = policy.value(row["policy"], dt.date(plan.year, 1, 1))
        else:
            target = _dec(row["target"])
        ind, _ = Indicator.objects.update_or_create(
            plan=plan,
            code=row["code"],
            defaults={
                "parent": by_code[row["parent"]] if row.get("parent") else None,
                "name": row["name"],
                "name_en": row["name_en"],
                "target": target,
                "unit": row["unit"],
                "unit_size": row["unit_size"],
                "measure": row.get("measure", Indicator.Measure.COUNT),
                "comparison": row["comparison"],
                "policy_parameter": row.get("policy", ""),
                "clause": row["clause"],
                "original": row["original"],
                "order": order,
            },
        )
        by_code[ind.code] = ind
    _load_attachment1(plan=plan, city=city, table=doc["attachment1"], by_code=by_code, actor=actor)
    _load_programmes(plan=plan, rows=doc["programmes"])
    if created:
        audit.record(
            actor=actor,
            action="plan.load",
            obj=plan,
            after={"year": plan.year, "source": plan.source, "file": path.name},
        )
    return plan


def _load_attachment1(
    *,
    plan: Plan,
    city: City,
    table: dict[str, Any],
    by_code: dict[str, Indicator],
    actor: User | None,
) -> None:
    counties = {c.short_name: c for c in County.objects.filter(city=city)}
    unit = _dec(table["unit"])
    notes = {n["indicator"]: n for n in table["notes"]}
    adjustments: dict[str, list[dict[str, str]]] = {}
    for adj in table.get("adjustments", []):
        adjustments.setdefault(adj["indicator"], []).append(
            {
                "county": counties[adj["county"]].code,
                "label": adj["county"],
                "value": str(adj["value"]),
                "reason": adj["reason"],
            }
        )
    for col, column in enumerate(table["columns"]):
        ind = by_code[column["indicator"]]
        note = notes[ind.code]
        Indicator.objects.filter(pk=ind.pk).update(
            allocated=True,
            heading=column["heading"],
            allocation_basis=note["basis"],
            allocation_note=note["text"],
        )
        result: dict[str, str] = {}
        total = Decimal(0)
        for row in table["rows"]:
            number, label, *values = row
            county = counties.get(label)
            if county is None or county.order != number:
                raise PlanDataError(
                    f"附件1第{number}行“{label}”与县（市、区）参考数据不符",
                    message_en=f"附件1 row {number} {label!r} does not match the county reference data",
                    detail={"row": number, "label": label},
                )
            value = _dec(values[col])
            total += value
            CountyTarget.objects.update_or_create(
                indicator=ind, county=county, defaults={"target": value, "label": label}
            )
            result[county.code] = str(value)
        if total != _dec(column["total"]) or total != ind.target:
            raise PlanDataError(
                f"附件1“{column['heading']}”各行合计{total}与合计行{column['total']}或指标{ind.target}不符",
                message_en=f"附件1 column {ind.code}: rows sum to {total}, not {column['total']}",
                detail={"indicator": ind.code, "sum": str(total)},
            )
        if not ind.allocations.exists():
            Allocation.objects.create(
                indicator=ind,
                method=Allocation.Method.DOCUMENT,
                unit=unit,
                total=total,
                basis=note["basis"],
                adjustments=adjustments.get(ind.code, []),
                result=result,
                note=f"{table['clause']}：{note['text']}",
                created_by=actor,
                created_at=clock.now(),
            )


def _load_programmes(*, plan: Plan, rows: list[dict[str, Any]]) -> None:
    departments = {d.code: d for d in Department.objects.filter(city=plan.city)}
    for row in rows:
        programme, _ = Programme.objects.update_or_create(
            plan=plan, number=row["number"], defaults={"name": row["name"], "clause": row["clause"]}
        )
        missing = [code for code in row["units"] if code not in departments]
        if missing:
            raise PlanDataError(
                f"专项{row['number']}的责任单位不在部门参考数据中：{'、'.join(missing)}",
                message_en=f"programme {row['number']}: unknown departments {missing}",
                detail={"programme": row["number"], "codes": missing},
            )
        wanted = [departments[code] for code in row["units"]]
        current = [u.department_id for u in programme.units.order_by("position")]
        if current != [d.pk for d in wanted]:
            programme.units.all().delete()
            ProgrammeUnit.objects.bulk_create(
                ProgrammeUnit(programme=programme, department=d, position=i)
                for i, d in enumerate(wanted, start=1)
            )


@transaction.atomic
def allocation_apply(
    *,
    actor: User,
    indicator: Indicator,
    weights: dict[str, Decimal],
    unit: Decimal,
    basis: str = "",
    fixed: dict[str, tuple[Decimal, str]] | None = None,
    note: str = "",
) -> Allocation:
    """Allocate the indicator's city target to the counties and record how.

    ``weights`` and ``fixed`` are keyed by county code; each fixed value carries its reason.
    """
    require(actor, "plan.edit")
    if indicator.plan.city_id != actor.home_city_id:
        raise NotFound("指标不存在或无权操作", detail={"indicator": indicator.pk})
    fixed = fixed or {}
    counties = list(County.objects.filter(city=indicator.plan.city).order_by("order"))
    codes = {c.code for c in counties}
    unknown = sorted((set(weights) | set(fixed)) - codes)
    if unknown:
        raise ValidationError(
            f"未知的县（市、区）代码：{'、'.join(unknown)}",
            message_en=f"unknown counties {unknown}",
            detail={"codes": unknown},
        )
    missing = sorted(codes - set(weights))
    if missing:
        raise ValidationError(
            f"缺少以下县（市、区）的权重：{'、'.join(missing)}",
            message_en=f"weights missing for {missing}",
            detail={"codes": missing},
        )
    result = allocation_rules.allocate(
        total=indicator.target,
        unit=unit,
        weights=[(c.code, weights[c.code]) for c in counties],
        fixed={code: value for code, (value, _) in fixed.items()},
    )
    values = result.values()
    before = {
        t.county.code: str(t.target) for t in indicator.county_targets.select_related("county")
    }
    for c in counties:
        CountyTarget.objects.update_or_create(
            indicator=indicator,
            county=c,
            defaults={"target": values[c.code], "label": c.short_name},
        )
    Indicator.objects.filter(pk=indicator.pk).update(allocated=True)
    record = Allocation.objects.create(
        indicator=indicator,
        method=Allocation.Method.LARGEST_REMAINDER,
        unit=unit,
        total=indicator.target,
        weights={k: str(v) for k, v in weights.items()},
        basis=basis,
        adjustments=[
            {"county": code, "value": str(v), "reason": reason}
            for code, (v, reason) in fixed.items()
        ],
        result={k: str(v) for k, v in values.items()},
        note=note,
        created_by=actor,
        created_at=clock.now(),
    )
    audit.record(
        actor=actor,
        action="plan.allocate",
        obj=record,
        before=before,
        after=record.result,
        reason=note,
    )
    return record


def tally_certificates_changed(*, year: int, keys: set[tuple[int, int]] | None) -> int:
    """Rebuild the certificate tally of ``year`` for the (county id, month) slices in ``keys``
    (None: the whole year), after certificates were added, removed or re-dated.

    Called by ``assessment.services.certificate_flags_refresh``, which every certificate
    write goes through: an explicit call rather than a signal, so that the write is seen
    where it happens. Returns the number of tally rows written.
    """
    return tally_refresh(year=year, keys=keys)
