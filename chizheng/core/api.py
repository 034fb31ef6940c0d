"""API: the signed-in user, policy parameters, the working-day calendar, ID checks."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from annotated_types import Ge, Le
from django.http import HttpRequest
from ninja import Router, Schema

from chizheng.accounts.access import require
from chizheng.accounts.models import User
from chizheng.api.types import Day, Text
from chizheng.core import ids
from chizheng.core.calendar import calendar
from chizheng.core.errors import NotFound
from chizheng.rules import params

from .policy import policy_rows

router = Router(tags=["core"])


class MeOut(Schema):
    username: str
    name: str
    role: str
    role_label: str
    scope: str


@router.get("/me", response=MeOut, summary="当前用户")
def me(request: HttpRequest) -> MeOut:
    u = request.user
    assert isinstance(u, User)  # the router requires a signed-in user
    return MeOut(
        username=u.get_username(),
        name=str(u),
        role=u.role,
        role_label=u.get_role_display(),
        scope=u.get_scope_label(),
    )


class ParameterOut(Schema):
    name: str
    description: str
    unit: str
    value: object
    clause: str
    original: str
    source: str
    valid_from: dt.date
    until: dt.date | None


@router.get("/policy/parameters", response=list[ParameterOut], summary="在某日生效的政策参数")
def policy_parameters(
    request: HttpRequest, at: Day | None = None, name: Annotated[str, Text(100)] = ""
) -> list[dict[str, object]]:
    require(request.user, "policy.view")  # type: ignore[arg-type]
    if name and name not in params.current():
        raise NotFound(f"未知的政策参数：{name}", message_en="no such parameter")
    return policy_rows(at=at, name=name or None)


class DateOut(Schema):
    date: dt.date


# Working days counted at once: about four years' worth; a deadline of the programme is
# weeks (the calendar refuses years it does not know in any case).
MAX_WORKDAYS = 1000
Workdays = Annotated[int, Ge(0), Le(MAX_WORKDAYS)]
WindowDays = Annotated[int, Ge(1), Le(MAX_WORKDAYS)]


@router.get("/workdays/add", response=DateOut, summary="N个工作日后的日期（起始日不计）")
def workdays_add(request: HttpRequest, date: Day, n: Workdays) -> DateOut:
    return DateOut(date=calendar().add(date, n))


@router.get(
    "/workdays/window", response=DateOut, summary="自某日起满N个工作日的最后一天（含起始日）"
)
def workdays_window(request: HttpRequest, date: Day, n: WindowDays) -> DateOut:
    return DateOut(date=calendar().window(date, n))


class IdCheckIn(Schema):
    number: Annotated[str, Text(40)]  # 18 characters, with room for spaces to be stripped


class IdCheckOut(Schema):
    number: str
    valid: bool
    reason: str


@router.post("/idcheck", response=IdCheckOut, summary="校验身份证号码（GB 11643）")
def idcheck(request: HttpRequest, payload: IdCheckIn) -> IdCheckOut:
    r = ids.check(payload.number)
    return IdCheckOut(number=ids.mask(r.number), valid=r.valid, reason=r.reason)
