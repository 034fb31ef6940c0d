"""Supervision cases (核查案件) through the API, under /api/v1/supervision/: the list (filters,
search, pages), one case, opening a case from findings, and a step on a case (investigate,
conclude as cleared, recovery or sanction). Each reads through the case selectors (scoped by
the actor: another county's case is "not found") and writes through the case services."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from chizheng.accounts.models import User
from chizheng.accounts.permissions import require
from chizheng.api.pagination import Page, paginate
from chizheng.api.types import Choice, Id, PageNo, PageSize, Text, Year
from chizheng.registry.models import Sanction

from . import case_selectors, case_services
from .case_flow import CASES
from .models import Case

router = Router(tags=["核查案件"])

STEPS = {
    "investigate": "开始核查",
    "clear": "办结（排除）",
    "recover": "办结（追缴）",
    "sanction": "办结（处理）",
}


def _actor(request: HttpRequest) -> User:
    """The signed-in user, who must read supervision (the pages ask the same): a city-wide
    role without it, finance say, reads no case."""
    user = request.user
    assert isinstance(user, User)
    require(user, "supervision.view", message="无权查看核查案件")
    return user


class CaseOut(Schema):
    id: int
    number: str
    year: int
    title: str
    county: str
    state: str
    state_label: str
    assignee: int | None
    opened_at: dt.datetime
    concluded_at: dt.datetime | None
    conclusion: str


class CaseDetailOut(CaseOut):
    findings: list[int]
    notes: list[dict[str, Any]]
    recoveries: list[dict[str, Any]]
    sanctions: list[int]
    steps: list[str]


def _case(c: Case) -> dict[str, Any]:
    return {
        "id": c.pk,
        "number": c.number,
        "year": c.year,
        "title": c.title,
        "county": c.county.code,
        "state": c.state,
        "state_label": c.get_state_display(),
        "assignee": c.assignee_id,
        "opened_at": c.opened_at,
        "concluded_at": c.concluded_at,
        "conclusion": c.conclusion,
    }


def _detail(c: Case, actor: User) -> dict[str, Any]:
    return {
        **_case(c),
        "findings": sorted(c.findings.values_list("pk", flat=True)),
        "notes": [
            {"id": n.pk, "text": n.text, "at": n.at.isoformat(), "author": n.author_id}
            for n in c.notes.all()
        ],
        "recoveries": [
            {"id": r.pk, "claim": r.disbursement.claim_id, "amount": str(r.amount)}
            for r in c.recoveries.select_related("disbursement")
        ],
        "sanctions": sorted(c.sanctions.values_list("pk", flat=True)),
        "steps": [t.name for t in CASES.available(c, actor)],
    }


class CaseFilter(Schema):
    state: Annotated[str, Choice(Case.State, "案件状态", blank=True)] = ""
    county: Annotated[str, Text(12)] = ""
    year: Year | None = None
    q: Annotated[str, Text(100)] = ""
    page: PageNo = 1
    page_size: PageSize = 50


@router.get("/supervision/cases", response=Page, summary="核查案件列表")
def case_list(request: HttpRequest, filters: Query[CaseFilter]) -> dict[str, Any]:
    qs = case_selectors.case_list(
        actor=_actor(request),
        state=filters.state,
        county=filters.county,
        year=filters.year,
        q=filters.q,
    )
    count, rows = paginate(qs, page=filters.page, page_size=filters.page_size)
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [_case(c) for c in rows],
    }


@router.get("/supervision/cases/{case_id}", response=CaseDetailOut, summary="核查案件")
def case_detail(request: HttpRequest, case_id: Id) -> dict[str, Any]:
    actor = _actor(request)
    return _detail(case_selectors.case_get(actor=actor, case_id=case_id), actor)


class OpenIn(Schema):
    findings: Annotated[list[Id], Field(min_length=1, max_length=100)]
    title: Annotated[str, Text(case_services.TITLE_MAX)] = ""
    assignee: Id | None = None


@router.post("/supervision/cases", response={201: CaseDetailOut}, summary="由核查线索立案")
def case_open(request: HttpRequest, body: OpenIn) -> Status[dict[str, Any]]:
    actor = _actor(request)
    case = case_services.case_open(
        actor=actor, finding_ids=body.findings, title=body.title, assignee_id=body.assignee
    )
    return Status(201, _detail(case_selectors.case_get(actor=actor, case_id=case.pk), actor))


class TransitionIn(Schema):
    step: Annotated[str, Choice(STEPS, "办理步骤")]
    reason: Annotated[str, Text(case_services.CONCLUSION_MAX, multiline=True)] = ""
    lines: Annotated[list[Id], Field(max_length=10000)] | None = None  # recover: default all
    sanction_kind: Annotated[str, Choice(Sanction.Kind, "处理类型", blank=True)] = ""
    institution: Id | None = None


OUTCOME_OF = {"clear": "cleared", "recover": "recovery", "sanction": "sanction"}


@router.post(
    "/supervision/cases/{case_id}/transition", response=CaseDetailOut, summary="办理核查案件"
)
def case_transition(request: HttpRequest, case_id: Id, body: TransitionIn) -> dict[str, Any]:
    actor = _actor(request)
    case = case_selectors.case_get(actor=actor, case_id=case_id)
    if body.step == "investigate":
        case_services.case_investigate(actor=actor, case_id=case.pk, reason=body.reason)
    else:
        case_services.case_conclude(
            actor=actor,
            case_id=case.pk,
            outcome=OUTCOME_OF[body.step],
            conclusion=body.reason,
            line_ids=body.lines,
            sanction_kind=body.sanction_kind,
            institution_id=body.institution,
        )
    return _detail(case_selectors.case_get(actor=actor, case_id=case.pk), actor)


class NoteIn(Schema):
    text: Annotated[str, Text(case_services.NOTE_MAX, multiline=True, min_length=1)]


@router.post(
    "/supervision/cases/{case_id}/notes", response={201: CaseDetailOut}, summary="添加核查记录"
)
def case_note(request: HttpRequest, case_id: Id, body: NoteIn) -> Status[dict[str, Any]]:
    actor = _actor(request)
    case = case_selectors.case_get(actor=actor, case_id=case_id)
    case_services.case_note(actor=actor, case_id=case.pk, text=body.text)
    return Status(201, _detail(case_selectors.case_get(actor=actor, case_id=case.pk), actor))
