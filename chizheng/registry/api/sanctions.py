"""Sanctions on institutions through the API: those in force on an institution, imposing,
lifting, the list and one sanction."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from chizheng.accounts.access import access_by_id
from chizheng.api.pagination import Page
from chizheng.api.types import Choice, Day, Id, PageNo, PageSize, Text
from chizheng.core import clock

from .. import selectors, services
from ..models import Sanction
from .common import actor_of, operation_id, page_of

router = Router()


class SanctionOut(Schema):
    id: int
    institution: int
    kind: str
    clause: str
    reason: str
    starts_on: dt.date
    ends_on: dt.date | None
    lifted_on: dt.date | None
    active: bool


def _sanction(s: Sanction) -> dict[str, object]:
    return {
        "id": s.pk,
        "institution": s.institution_id,
        "kind": s.kind,
        "clause": s.clause,
        "reason": s.reason,
        "starts_on": s.starts_on,
        "ends_on": s.ends_on,
        "lifted_on": s.lifted_on,
        "active": s.is_active(clock.today()),
    }


@router.get(
    "/institutions/{institution_id}/sanctions/active",
    response=list[SanctionOut],
    summary="机构在某日生效的处理措施",
    operation_id=operation_id("institution_active_sanctions"),
)
def institution_active_sanctions(
    request: HttpRequest, institution_id: Id, on: Day | None = None
) -> object:
    actor = actor_of(request)
    inst = access_by_id(actor, selectors.institution_list(actor=actor), institution_id)
    return [_sanction(s) for s in selectors.active_sanctions(party=inst, on=on or clock.today())]


class SanctionIn(Schema):
    kind: Annotated[str, Choice(Sanction.Kind, "处理类型")]
    starts_on: Day  # for a platform ban: the day of the violation
    reason: Annotated[str, Text.of(Sanction, "reason", min_length=1)]
    ends_on: Day | None = None  # blacklist only


@router.post(
    "/institutions/{institution_id}/sanctions",
    response={201: SanctionOut},
    summary="作出处理措施",
    operation_id=operation_id("sanction_create"),
)
def sanction_create(
    request: HttpRequest, institution_id: Id, body: SanctionIn
) -> Status[dict[str, object]]:
    s = services.sanction_create(
        actor=actor_of(request),
        institution_id=institution_id,
        kind=body.kind,
        starts_on=body.starts_on,
        reason=body.reason,
        ends_on=body.ends_on,
    )
    return Status(201, _sanction(s))


class LiftIn(Schema):
    lifted_on: Day
    reason: Annotated[str, Text.of(Sanction, "lift_reason", min_length=1)]


@router.post(
    "/sanctions/{sanction_id}/lift",
    response=SanctionOut,
    summary="解除处理/黑名单动态退出",
    operation_id=operation_id("sanction_lift"),
)
def sanction_lift(request: HttpRequest, sanction_id: Id, body: LiftIn) -> dict[str, object]:
    return _sanction(
        services.sanction_lift(
            actor=actor_of(request),
            sanction_id=sanction_id,
            lifted_on=body.lifted_on,
            reason=body.reason,
        )
    )


@router.get(
    "/sanctions",
    response=Page,
    summary="处理措施列表",
    operation_id=operation_id("sanctions"),
)
def sanctions(
    request: HttpRequest,
    kind: Annotated[str, Choice(Sanction.Kind, "处理类型", blank=True)] = "",
    active: bool = False,
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> dict[str, object]:
    qs = selectors.sanction_list(
        actor=actor_of(request), kind=kind, active_on=clock.today() if active else None
    )
    return page_of(qs, page, page_size, _sanction)


@router.get(
    "/sanctions/{sanction_id}",
    response=SanctionOut,
    summary="处理措施详情",
    operation_id=operation_id("sanction"),
)
def sanction(request: HttpRequest, sanction_id: Id) -> dict[str, object]:
    actor = actor_of(request)
    return _sanction(access_by_id(actor, selectors.sanction_list(actor=actor), sanction_id))
