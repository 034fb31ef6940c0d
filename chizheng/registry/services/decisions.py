"""The city office's decisions on an institution, each a declared transition of
``registry.workflow``: filing an evaluation institution and revoking the filing (备案),
listing a platform in the catalog and removing it (目录清单).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from chizheng.accounts.access import access_by_id
from chizheng.accounts.models import User
from chizheng.core.errors import ValidationError

from .. import workflow
from ..models import Institution


def _decided_institution(actor: User, institution_id: int) -> Institution:
    return access_by_id(
        actor, Institution.objects.select_related("county").select_for_update(), institution_id
    )


def _reason(reason: str, *, required: bool) -> str:
    text = reason.strip()
    if required and not text:
        raise ValidationError(
            "请填写决定的理由", message_en="a reason is required", detail={"field": "reason"}
        )
    return text


@transaction.atomic
def institution_file(
    *,
    actor: User,
    institution_id: int,
    filed_on: dt.date,
    filing_number: str = "",
    reason: str = "",
) -> Institution:
    """File an evaluation institution (评价机构备案), or file it again after a revocation."""
    inst = _decided_institution(actor, institution_id)
    if not inst.evaluator_kind:
        raise ValidationError(
            "该机构不是评价机构，请先登记评价机构类别",
            message_en="not an evaluation institution",
            code="not_evaluator",
        )
    number = filing_number.strip()
    if len(number) > Institution._meta.get_field("filing_number").max_length:  # type: ignore[operator]
        raise ValidationError("备案编号过长", detail={"field": "filing_number"})
    inst.filed_on, inst.filing_number = filed_on, number
    why = "；".join(
        x for x in (f"备案日期 {filed_on}", number and f"备案编号 {number}", reason.strip()) if x
    )
    workflow.FILING.fire(inst, "file", actor=actor, reason=why)
    inst.save(update_fields=["filed_on", "filing_number"])
    return inst


@transaction.atomic
def institution_revoke_filing(*, actor: User, institution_id: int, reason: str) -> Institution:
    """Revoke a filing (撤销备案): the institution may no longer assess (``is_filed_evaluator``)."""
    inst = _decided_institution(actor, institution_id)
    return workflow.FILING.fire(
        inst, "revoke_filing", actor=actor, reason=_reason(reason, required=True)
    )


def _platform(actor: User, institution_id: int) -> Institution:
    inst = _decided_institution(actor, institution_id)
    if inst.kind != Institution.Kind.PLATFORM:
        raise ValidationError(
            "目录清单决定只适用于线上平台", message_en="platforms only", code="not_platform"
        )
    return inst


@transaction.atomic
def platform_list(
    *, actor: User, institution_id: int, since: dt.date, reason: str = ""
) -> Institution:
    """Put a platform in the catalog (纳入省目录清单) from ``since`` (§20(3))."""
    inst = _platform(actor, institution_id)
    inst.catalog_since = since
    why = "；".join(x for x in (f"纳入日期 {since}", reason.strip()) if x)
    workflow.CATALOG.fire(inst, "catalog_list", actor=actor, reason=why)
    inst.save(update_fields=["catalog_since"])
    return inst


@transaction.atomic
def platform_remove(*, actor: User, institution_id: int, reason: str) -> Institution:
    """Take a platform out of the catalog (移出目录清单): no new online classes on it."""
    inst = _platform(actor, institution_id)
    return workflow.CATALOG.fire(
        inst, "catalog_remove", actor=actor, reason=_reason(reason, required=True)
    )
