"""API of the registries (scoped through the access layer)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from chizheng.accounts.access import access_by_id
from chizheng.api.pagination import Page, paginate
from chizheng.org.selectors import county_list

from .models import Institution
from .selectors import institution_list, person_list

router = Router(tags=["registry"])


class CountyOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    order: int


@router.get("/counties", response=list[CountyOut], summary="县（市、区）")
def counties(request: HttpRequest) -> object:
    return list(county_list(actor=request.user))  # type: ignore[arg-type]


class InstitutionOut(Schema):
    id: int
    name: str
    kind: str
    credit_code: str
    county: str


def _institution(i: Institution) -> dict[str, object]:
    return {
        "id": i.pk,
        "name": i.name,
        "kind": i.kind,
        "credit_code": i.credit_code,
        "county": i.county.code,
    }


@router.get("/institutions", response=Page, summary="机构列表")
def institutions(
    request: HttpRequest, q: str = "", page: int = 1, page_size: int = 50
) -> dict[str, object]:
    qs = institution_list(actor=request.user)  # type: ignore[arg-type]
    if q:
        qs = qs.filter(name__icontains=q)
    count, rows = paginate(qs, page=page, page_size=page_size)
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "items": [_institution(i) for i in rows],
    }


@router.get("/institutions/{institution_id}", response=InstitutionOut, summary="机构详情")
def institution(request: HttpRequest, institution_id: int) -> dict[str, object]:
    qs = institution_list(actor=request.user)  # type: ignore[arg-type]
    return _institution(access_by_id(request.user, qs, institution_id))  # type: ignore[arg-type]


class PersonOut(Schema):
    id: int
    name: str
    id_number: str  # masked
    phone: str  # masked
    county: str


@router.get("/people", response=Page, summary="人员列表（身份证号码、手机号脱敏）")
def people(request: HttpRequest, page: int = 1, page_size: int = 50) -> dict[str, object]:
    qs = person_list(actor=request.user)  # type: ignore[arg-type]
    count, rows = paginate(qs, page=page, page_size=page_size)
    items = [
        {
            "id": p.pk,
            "name": p.name,
            "id_number": p.id_masked,
            "phone": p.phone_masked,
            "county": p.county.code,
        }
        for p in rows
    ]
    return {"count": count, "page": page, "page_size": page_size, "items": items}
