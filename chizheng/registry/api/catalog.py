"""The year's catalog (目录清单) through the API: the list and adding an entry."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from chizheng.api.pagination import Page
from chizheng.api.types import Choice, Day, Id, PageNo, PageSize, Text, Year

from .. import selectors, services
from ..models import CatalogEntry
from .common import OccupationCode, Query, actor_of, operation_id, page_of

router = Router()


def _catalog(e: CatalogEntry) -> dict[str, object]:
    return {
        "id": e.pk,
        "year": e.year,
        "institution": e.institution_id,
        "occupation": e.occupation.code,
        "valid_from": e.valid_from,
        "valid_until": e.valid_until,
        "source": e.source,
    }


@router.get("/catalog", response=Page, summary="目录清单", operation_id=operation_id("catalog"))
def catalog(
    request: HttpRequest,
    year: Year | None = None,
    q: Query = "",
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> dict[str, object]:
    return page_of(
        selectors.catalog_list(actor=actor_of(request), year=year, q=q), page, page_size, _catalog
    )


class CatalogIn(Schema):
    year: Year
    occupation: OccupationCode
    valid_from: Day
    source: Annotated[str, Choice(CatalogEntry.Source, "纳入方式")] = CatalogEntry.Source.ANNUAL
    note: Annotated[str, Text.of(CatalogEntry, "note")] = ""


@router.post(
    "/institutions/{institution_id}/catalog",
    response={201: dict},
    summary="纳入目录清单",
    operation_id=operation_id("catalog_add"),
)
def catalog_add(
    request: HttpRequest, institution_id: Id, body: CatalogIn
) -> Status[dict[str, object]]:
    entry = services.catalog_add(
        actor=actor_of(request),
        institution_id=institution_id,
        year=body.year,
        occupation_code=body.occupation,
        valid_from=body.valid_from,
        source=body.source,
        note=body.note,
    )
    return Status(201, _catalog(entry))
