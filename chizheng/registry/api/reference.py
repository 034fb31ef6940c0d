"""Reference data through the API: the counties and the occupational classification (2022)."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Schema

from chizheng.api.pagination import Page
from chizheng.api.types import Choice, PageNo, PageSize
from chizheng.core.errors import NotFound
from chizheng.org.selectors import county_list

from .. import selectors
from ..models import Occupation
from .common import OccupationCode, Query, actor_of, operation_id, page_of

router = Router()


class CountyOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    order: int


@router.get(
    "/counties",
    response=list[CountyOut],
    summary="县（市、区）",
    operation_id=operation_id("counties"),
)
def counties(request: HttpRequest) -> object:
    return list(county_list(actor=actor_of(request)))


class OccupationOut(Schema):
    code: str
    name: str
    level: str
    parent: str


def _occupation(o: Occupation) -> dict[str, object]:
    return {
        "code": o.code,
        "name": o.name,
        "level": o.level,
        "parent": o.parent.code if o.parent else "",
    }


@router.get(
    "/occupations",
    response=Page,
    summary="职业分类（2022年版）",
    operation_id=operation_id("occupations"),
)
def occupations(
    request: HttpRequest,
    q: Query = "",
    level: Annotated[str, Choice(Occupation.Level, "层级", blank=True)] = "",
    parent: OccupationCode = "",
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> dict[str, object]:
    qs = selectors.occupation_list(actor=actor_of(request), level=level, q=q, parent=parent)
    return page_of(qs, page, page_size, _occupation)


@router.get(
    "/occupations/{code}",
    response=OccupationOut,
    summary="按编码查职业",
    operation_id=operation_id("occupation"),
)
def occupation(request: HttpRequest, code: OccupationCode) -> dict[str, object]:
    found = selectors.occupation_get(actor=actor_of(request), code=code)
    if found is None:
        raise NotFound(
            "职业编码不存在", message_en="no such occupation code", detail={"code": code}
        )
    return _occupation(found)
