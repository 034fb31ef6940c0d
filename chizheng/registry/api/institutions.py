"""Institutions through the API: the list, one institution, and registering one (never with
a filing or catalog status: those are the city office's decisions)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from chizheng.accounts.access import access_by_id
from chizheng.api.pagination import Page
from chizheng.api.types import Choice, Id, PageNo, PageSize, Text
from chizheng.org.selectors import county_get, department_by_code

from .. import selectors, services
from ..models import Institution
from .common import CountyCode, Query, actor_of, operation_id, page_of

router = Router()


class InstitutionOut(Schema):
    id: int
    name: str
    kind: str
    credit_code: str
    county: str
    department: str = ""
    evaluator_kind: str = ""
    filing_status: str = ""
    filed_on: dt.date | None = None
    catalog_status: str = ""


def _institution(i: Institution) -> dict[str, object]:
    return {
        "id": i.pk,
        "name": i.name,
        "kind": i.kind,
        "credit_code": i.credit_code,
        "county": i.county.code,
        "department": i.department.code if i.department else "",
        "evaluator_kind": i.evaluator_kind,
        "filing_status": i.filing_status,
        "filed_on": i.filed_on,
        "catalog_status": i.catalog_status,
    }


@router.get(
    "/institutions",
    response=Page,
    summary="机构列表",
    operation_id=operation_id("institutions"),
)
def institutions(
    request: HttpRequest,
    q: Query = "",
    kind: Annotated[str, Choice(Institution.Kind, "机构类型", blank=True)] = "",
    county: CountyCode = "",
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> dict[str, object]:
    qs = selectors.institution_search(actor=actor_of(request), q=q, kind=kind, county=county)
    return page_of(qs, page, page_size, _institution)


@router.get(
    "/institutions/{institution_id}",
    response=InstitutionOut,
    summary="机构详情",
    operation_id=operation_id("institution"),
)
def institution(request: HttpRequest, institution_id: Id) -> dict[str, object]:
    actor = actor_of(request)
    return _institution(
        access_by_id(actor, selectors.institution_list(actor=actor), institution_id)
    )


class InstitutionIn(Schema):
    name: Annotated[str, Text.of(Institution, "name", min_length=1)]
    credit_code: Annotated[str, Text(18, min_length=18)]
    kind: Annotated[str, Choice(Institution.Kind, "机构类型")]
    county: CountyCode  # 区划代码
    department: Annotated[str, Text(20)] = ""
    address: Annotated[str, Text.of(Institution, "address")] = ""
    evaluator_kind: Annotated[
        str, Choice(Institution.EvaluatorKind, "评价机构类别", blank=True)
    ] = ""
    # No filing or catalog status: those are the city office's decisions (registry.workflow).


@router.post(
    "/institutions",
    response={201: InstitutionOut},
    summary="登记机构",
    operation_id=operation_id("institution_create"),
)
def institution_create(request: HttpRequest, body: InstitutionIn) -> Status[dict[str, object]]:
    actor = actor_of(request)
    county = county_get(actor=actor, code=body.county)
    department = department_by_code(code=body.department) if body.department else None
    inst = services.institution_create(
        actor=actor,
        name=body.name,
        credit_code=body.credit_code,
        kind=body.kind,
        county=county,
        department=department,
        address=body.address,
        evaluator_kind=body.evaluator_kind,
    )
    return Status(201, _institution(inst))
