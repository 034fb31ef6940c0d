"""Teachers (ID numbers masked) and sites with their workstations, through the API."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from chizheng.accounts.access import access_by_id
from chizheng.api.pagination import Page
from chizheng.api.types import Id, PageNo, PageSize

from .. import selectors
from ..models import Site, Teacher
from .common import Query, actor_of, operation_id, page_of

router = Router()


def _teacher(t: Teacher) -> dict[str, object]:
    return {
        "id": t.pk,
        "institution": t.institution_id,
        "name": t.name,
        "id_number": t.id_masked,
        "full_time": t.full_time,
        "occupations": [o.code for o in t.occupations.all()],
    }


@router.get(
    "/teachers",
    response=Page,
    summary="师资（身份证号码脱敏）",
    operation_id=operation_id("teachers"),
)
def teachers(
    request: HttpRequest,
    q: Query = "",
    institution_id: Id | None = None,
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> dict[str, object]:
    qs = selectors.teacher_list(
        actor=actor_of(request), q=q, institution_id=institution_id
    ).prefetch_related("occupations")
    return page_of(qs, page, page_size, _teacher)


@router.get(
    "/teachers/{teacher_id}",
    response=dict,
    summary="师资详情",
    operation_id=operation_id("teacher"),
)
def teacher(request: HttpRequest, teacher_id: Id) -> dict[str, object]:
    actor = actor_of(request)
    return _teacher(access_by_id(actor, selectors.teacher_list(actor=actor), teacher_id))


def _site(s: Site) -> dict[str, object]:
    return {
        "id": s.pk,
        "institution": s.institution_id,
        "name": s.name,
        "address": s.address,
        "workstations": {w.occupation.code: w.count for w in s.workstations.all()},
    }


@router.get("/sites", response=Page, summary="场地与工位", operation_id=operation_id("sites"))
def sites(
    request: HttpRequest,
    q: Query = "",
    institution_id: Id | None = None,
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> dict[str, object]:
    qs = selectors.site_list(
        actor=actor_of(request), q=q, institution_id=institution_id
    ).prefetch_related("workstations__occupation")
    return page_of(qs, page, page_size, _site)


@router.get(
    "/sites/{site_id}", response=dict, summary="场地详情", operation_id=operation_id("site")
)
def site(request: HttpRequest, site_id: Id) -> dict[str, object]:
    actor = actor_of(request)
    qs = selectors.site_list(actor=actor).prefetch_related("workstations__occupation")
    return _site(access_by_id(actor, qs, site_id))
