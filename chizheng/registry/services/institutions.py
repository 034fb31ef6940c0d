"""Institutions: registering and editing one (never its filing or catalog status, which are
the city office's decisions), the occupations and levels a filed evaluator may assess, and
finding one by its credit code.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from chizheng.accounts.models import User
from chizheng.core import audit
from chizheng.core.errors import ValidationError
from chizheng.core.inputs import check_choice, full_clean
from chizheng.org.models import County, Department

from ..models import EvaluationScope, Institution, SkillLevel
from .common import _editable_institution, _require_edit
from .occupations import occupation_for_code

INSTITUTION_FIELDS = (
    "name",
    "kind",
    "address",
    "contact_name",
    "contact_phone",
    "evaluator_kind",
)
# Set only by the city office's decisions (``institution_file`` … ``platform_remove``), each
# a declared transition: never by the edit form, the API or an import of a county user.
DECISION_FIELDS = ("filing_status", "filed_on", "filing_number", "catalog_status", "catalog_since")


def _refuse_decision_fields(fields: Iterable[str]) -> None:
    reached = sorted(set(fields) & set(DECISION_FIELDS))
    if reached:
        raise ValidationError(
            "备案状态和目录状态只能由市人社局（领导小组办公室）在机构页面作出决定后变更",
            message_en=f"{', '.join(reached)} change only through the city office's decisions",
            code="status_by_decision",
            detail={"fields": reached},
        )


def _institution_snapshot(i: Institution) -> dict[str, Any]:
    snap: dict[str, Any] = {f: getattr(i, f) for f in (*INSTITUTION_FIELDS, *DECISION_FIELDS)}
    snap.update(
        credit_code=i.credit_code,
        county=i.county.code,
        department=i.department.code if i.department else "",
    )
    return snap


def _check_credit_code(code: str) -> str:
    code = code.strip().upper()
    if len(code) != 18 or not code.isalnum():
        raise ValidationError(
            "统一社会信用代码应为18位字母或数字",
            message_en="credit code must be 18 letters or digits",
            detail={"field": "credit_code"},
        )
    return code


def _check_institution_choices(values: dict[str, Any]) -> None:
    if "kind" in values:
        check_choice(values["kind"], Institution.Kind, field="kind", label="机构类型")
    if values.get("evaluator_kind"):
        check_choice(
            values["evaluator_kind"],
            Institution.EvaluatorKind,
            field="evaluator_kind",
            label="评价机构类别",
        )


@transaction.atomic
def institution_create(
    *,
    actor: User,
    name: str,
    credit_code: str,
    kind: str,
    county: County,
    department: Department | None = None,
    **fields: Any,
) -> Institution:
    _require_edit(actor, county)
    code = _check_credit_code(credit_code)
    if Institution.objects.filter(credit_code=code).exists():
        raise ValidationError(
            f"统一社会信用代码 {code} 已登记",
            message_en="credit code already registered",
            code="duplicate",
            detail={"field": "credit_code"},
        )
    _refuse_decision_fields(fields)
    unknown = set(fields) - set(INSTITUTION_FIELDS)
    if unknown:
        raise ValueError(f"unknown institution fields: {sorted(unknown)}")
    _check_institution_choices({"kind": kind, **fields})
    inst = Institution(
        name=name.strip(),
        credit_code=code,
        kind=kind,
        county=county,
        department=department,
        **fields,
    )
    full_clean(inst)
    inst.save()
    audit.record(
        actor=actor, action="institution.create", obj=inst, after=_institution_snapshot(inst)
    )
    return inst


@transaction.atomic
def institution_update(*, actor: User, institution_id: int, **changes: Any) -> Institution:
    _refuse_decision_fields(changes)
    inst = _editable_institution(actor, institution_id)
    before = _institution_snapshot(inst)
    for key, value in changes.items():
        if key == "department":
            inst.department = value
        elif key in INSTITUTION_FIELDS:
            setattr(inst, key, value)
        else:
            raise ValueError(f"field {key} cannot be changed here")
    _check_institution_choices(changes)
    full_clean(inst)
    after = _institution_snapshot(inst)
    if after != before:
        inst.save()
        audit.record(actor=actor, action="institution.update", obj=inst, before=before, after=after)
    return inst


@transaction.atomic
def evaluation_scope_set(
    *, actor: User, institution_id: int, occupation_code: str, levels: Iterable[int]
) -> EvaluationScope:
    """The levels of one occupation a filed evaluation institution may assess (empty removes)."""
    inst = _editable_institution(actor, institution_id)
    if not inst.evaluator_kind:
        raise ValidationError(
            "该机构不是评价机构", message_en="not an evaluation institution", code="not_evaluator"
        )
    occupation = occupation_for_code(occupation_code)
    wanted = sorted({int(x) for x in levels}, reverse=True)
    if any(x not in SkillLevel.values for x in wanted):
        raise ValidationError(
            "技能等级应为1至5级", message_en="levels are 1 to 5", detail={"field": "levels"}
        )
    scope, _ = EvaluationScope.objects.get_or_create(
        institution=inst, occupation=occupation, defaults={"levels": wanted}
    )
    before = scope.levels
    scope.levels = wanted
    scope.save(update_fields=["levels"])
    audit.record(
        actor=actor,
        action="institution.evaluation_scope",
        obj=inst,
        before={"occupation": occupation.code, "levels": before},
        after={"occupation": occupation.code, "levels": wanted},
    )
    return scope


def institution_by_credit_code(credit_code: str, *, schools_only: bool = False) -> Institution:
    """A registered institution by its credit code (for references such as a person's employer)."""
    found = Institution.objects.filter(credit_code=credit_code.strip().upper()).first()
    if found is None or (schools_only and not found.is_school):
        raise ValidationError(
            f"统一社会信用代码为{credit_code}的{'院校' if schools_only else '机构'}未登记",
            message_en="no such institution",
            code="institution_unknown",
            detail={"credit_code": credit_code},
        )
    return found
