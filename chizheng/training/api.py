"""API of the class lifecycle, so an institution's own system can submit classes and attendance."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from annotated_types import MaxLen
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from chizheng.accounts.access import can
from chizheng.accounts.models import User
from chizheng.api.pagination import Page, paginate
from chizheng.api.types import Choice, Count, Day, Id, PageNo, PageSize, SmallCount, Text
from chizheng.core import clock
from chizheng.core.errors import PermissionDenied
from chizheng.core.review import Seen
from chizheng.registry.models import CertificateType, SkillLevel

from . import selectors, services
from .models import (
    AppliedBy,
    Inspection,
    Mode,
    Opinion,
    PureOnlineOccupation,
    Review,
    Session,
    TrainingClass,
)
from .models import Status as ClassStatus

router = Router(tags=["training"])


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    if not can(request.user, "class.view"):  # trainees see their own records on their pages
        raise PermissionDenied("学员请在首页查看本人的培训与证书", message_en="not for trainees")
    return request.user


# How many ids one request may list (a class's teachers, sites; a session's sign-ins):
# well above a class (§20(1): at most 80 trainees), far below what would burden a query.
MAX_IDS = 1000
Ids = Annotated[list[Id], Field(max_length=MAX_IDS)]


class ClassIn(Schema):
    batch: Annotated[str, Text.of(TrainingClass, "batch", min_length=1)]
    start_date: Day
    end_date: Day
    occupation_code: Annotated[str, Text(20, min_length=1)]
    skill_level: Annotated[int, Choice(SkillLevel, "级别")] | None = None
    certificate_type: Annotated[str, Choice(CertificateType, "考核证书类型")]
    planned_count: Count
    class_hours: Count
    practical_hours: Count
    online_theory_hours: Count = 0
    class_hour_minutes: SmallCount
    mode: Annotated[str, Choice(Mode, "培训方式")]
    platform_id: Id | None = None
    teacher_ids: Ids = []
    site_ids: Ids = []
    contact_name: Annotated[str, Text.of(TrainingClass, "contact_name", min_length=1)]
    contact_phone: Annotated[str, Text.of(TrainingClass, "contact_phone", min_length=1)]
    bank_name: Annotated[str, Text.of(TrainingClass, "bank_name")] = ""
    bank_account: Annotated[str, Text.of(TrainingClass, "bank_account")] = ""
    programme_id: Id | None = None
    # the training projects of the programme (class.programme_tags codes: golden_blue_collar …)
    tags: Annotated[list[Annotated[str, Text(40, min_length=1)]], MaxLen(20)] = []
    plan_in_system: bool = True
    roster_in_system: bool = True


class ClassOut(Schema):
    id: int
    batch: str
    institution: str
    county: str
    occupation_code: str
    occupation_name: str
    skill_level: int | None
    start_date: dt.date
    end_date: dt.date
    planned_count: int
    status: str
    status_label: str
    decisions: list[dict[str, object]]
    version: int  # send it back with a review: a review of another version is refused
    # The review step pending (in the detail; empty in lists and when none is pending).
    review_level: str = ""
    review_step: str = ""


def _out(k: TrainingClass, *, pending: bool = False) -> dict[str, object]:
    seen = selectors.review_seen(training_class=k) if pending else None
    return {
        "version": k.version,
        "review_level": seen.level if seen else "",
        "review_step": seen.step if seen else "",
        "id": k.pk,
        "batch": k.batch,
        "institution": k.institution.name,
        "county": k.institution.county.code,
        "occupation_code": k.occupation_code,
        "occupation_name": k.occupation_name,
        "skill_level": k.skill_level,
        "start_date": k.start_date,
        "end_date": k.end_date,
        "planned_count": k.planned_count,
        "status": k.status,
        "status_label": k.get_status_display(),
        "decisions": k.decisions,
    }


@router.get("/classes", response=Page, summary="培训班列表")
def classes(
    request: HttpRequest,
    status: Annotated[str, Choice(ClassStatus, "状态", blank=True)] = "",
    q: Annotated[str, Text(100)] = "",
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> dict[str, object]:
    qs = selectors.class_list(actor=_actor(request), status=status, q=q)
    count, rows = paginate(qs, page=page, page_size=page_size)
    return {"count": count, "page": page, "page_size": page_size, "items": [_out(k) for k in rows]}


@router.post("/classes", response={201: ClassOut}, summary="新建开班申请（草稿）")
def class_create(request: HttpRequest, payload: ClassIn) -> Status[dict[str, object]]:
    k = services.class_create(actor=_actor(request), **payload.dict())
    return Status(201, _out(k))


@router.get("/classes/{class_id}", response=ClassOut, summary="培训班详情")
def class_get(request: HttpRequest, class_id: Id) -> dict[str, object]:
    return _out(selectors.class_get(actor=_actor(request), class_id=class_id), pending=True)


class RosterIn(Schema):
    id_numbers: Annotated[list[Annotated[str, Text(40)]], Field(max_length=MAX_IDS)]


class RosterOut(Schema):
    added: int
    already: int
    unknown: list[str]


@router.post(
    "/classes/{class_id}/roster", response=RosterOut, summary="加入人员名册（按身份证号码）"
)
def roster(request: HttpRequest, class_id: Id, payload: RosterIn) -> services.RosterResult:
    return services.roster_add(
        actor=_actor(request), class_id=class_id, id_numbers=payload.id_numbers
    )


@router.post(
    "/classes/{class_id}/submit", response=ClassOut, summary="提交开班申请（运行全部合规规则）"
)
def submit(request: HttpRequest, class_id: Id) -> dict[str, object]:
    services.class_submit(actor=_actor(request), class_id=class_id)
    return _out(selectors.class_get(actor=_actor(request), class_id=class_id))


class ReviewIn(Schema):
    decision: Annotated[str, Choice(Review.Decision, "审核结论")]
    opinion: Annotated[str, Text.of(Review, "opinion")] = ""
    # The step acted on and the class's version, as the reviewer saw them (GET /classes/{id}):
    # a review of a step already done, or of a class changed since, is refused (409).
    level: Annotated[str, Choice(Review.Level, "审核层级")]
    step: Annotated[str, Choice(Review.Step, "审核环节")]
    version: Count


@router.post(
    "/classes/{class_id}/review",
    response=ClassOut,
    summary="审核（初审/复核）：须写明所审环节与所见版本",
)
def review(request: HttpRequest, class_id: Id, payload: ReviewIn) -> dict[str, object]:
    services.class_review(
        actor=_actor(request),
        class_id=class_id,
        decision=payload.decision,
        opinion=payload.opinion,
        seen=Seen(level=payload.level, step=payload.step, version=payload.version),
    )
    return _out(selectors.class_get(actor=_actor(request), class_id=class_id), pending=True)


@router.post("/classes/{class_id}/start", response=ClassOut, summary="开班")
def start(request: HttpRequest, class_id: Id) -> dict[str, object]:
    return _out(services.class_start(actor=_actor(request), class_id=class_id))


class SessionIn(Schema):
    held_on: Day
    kind: Annotated[str, Choice(Session.Kind, "课程类型")]
    class_hours: SmallCount
    minutes: Count
    recorded_minutes: Count = 0
    longest_continuous: Annotated[list[Count], Field(max_length=MAX_IDS)] = []
    shows_all_trainees: bool = True


class IdOut(Schema):
    id: int


@router.post("/classes/{class_id}/sessions", response={201: IdOut}, summary="登记课程及录像")
def session_add(request: HttpRequest, class_id: Id, payload: SessionIn) -> Status[dict[str, int]]:
    s = services.session_add(actor=_actor(request), class_id=class_id, **payload.dict())
    return Status(201, {"id": s.pk})


class AttendanceIn(Schema):
    present_person_ids: Ids


class CountOut(Schema):
    present: int


@router.post("/sessions/{session_id}/attendance", response=CountOut, summary="登记签到")
def attendance(request: HttpRequest, session_id: Id, payload: AttendanceIn) -> dict[str, int]:
    n = services.attendance_record(
        actor=_actor(request), session_id=session_id, present_person_ids=payload.present_person_ids
    )
    return {"present": n}


class InspectionIn(Schema):
    kind: Annotated[str, Choice(Inspection.Kind, "检查类型")]
    held_on: Day
    place: Annotated[str, Text.of(Inspection, "place", min_length=1)]
    present: Count
    signed_in: Count
    teachers_present: Count
    materials_kept: bool = True
    notes: Annotated[str, Text.of(Inspection, "notes")] = ""


@router.post("/classes/{class_id}/inspections", response={201: IdOut}, summary="登记检查情况")
def inspection(request: HttpRequest, class_id: Id, payload: InspectionIn) -> Status[dict[str, int]]:
    i = services.inspection_record(actor=_actor(request), class_id=class_id, **payload.dict())
    return Status(201, {"id": i.pk})


class AssessmentIn(Schema):
    evaluator_id: Id
    held_on: Day
    applied_by: Annotated[str, Choice(AppliedBy, "申请考核方")] = AppliedBy.INSTITUTION


@router.post("/classes/{class_id}/assessment", response={201: IdOut}, summary="登记结业考核")
def assessment(request: HttpRequest, class_id: Id, payload: AssessmentIn) -> Status[dict[str, int]]:
    a = services.assessment_register(actor=_actor(request), class_id=class_id, **payload.dict())
    return Status(201, {"id": a.pk})


class OpinionIn(Schema):
    kind: Annotated[str, Choice(Opinion.Kind, "意见类型")]
    text: Annotated[str, Text.of(Opinion, "text", min_length=1)]


class OpinionOut(Schema):
    id: int
    kind: str
    kind_label: str
    text: str
    author: str
    given_on: dt.date


@router.post(
    "/classes/{class_id}/opinions",
    response={201: OpinionOut},
    summary="登记附件2签署栏：人社部门检查意见、考核巡查、人社部门对考核结果的意见",
)
def opinion(request: HttpRequest, class_id: Id, payload: OpinionIn) -> Status[dict[str, object]]:
    o = services.opinion_record(actor=_actor(request), class_id=class_id, **payload.dict())
    return Status(
        201,
        {
            "id": o.pk,
            "kind": o.kind,
            "kind_label": o.get_kind_display(),
            "text": o.text,
            "author": str(o.author),
            "given_on": o.given_on,
        },
    )


class QueueOut(Schema):
    review_id: int
    class_id: int
    batch: str
    level: str
    step: str
    due_on: dt.date
    overdue: bool


@router.get("/review-queue", response=list[QueueOut], summary="我的待审核（按时限排序）")
def queue(request: HttpRequest) -> list[dict[str, object]]:
    return [
        {
            "review_id": i.review.pk,
            "class_id": i.training_class.pk,
            "batch": i.training_class.batch,
            "level": i.review.level,
            "step": i.review.step,
            "due_on": i.review.due_on,
            "overdue": i.overdue,
        }
        for i in selectors.review_queue(actor=_actor(request), today=clock.today())
    ]


class PureOnlineIn(Schema):
    occupation_code: Annotated[str, Text(20, min_length=1)]
    valid_from: Day
    reason: Annotated[str, Text.of(PureOnlineOccupation, "reason", min_length=1)]


class PureOnlineEndIn(Schema):
    valid_until: Day
    reason: Annotated[str, Text(200)] = ""


class PureOnlineOut(Schema):
    id: int
    occupation_code: str
    occupation_name: str
    valid_from: dt.date
    valid_until: dt.date | None
    reason: str


def _pure_online_out(item: PureOnlineOccupation) -> dict[str, object]:
    return {
        "id": item.pk,
        "occupation_code": item.occupation.code,
        "occupation_name": item.occupation.name,
        "valid_from": item.valid_from,
        "valid_until": item.valid_until,
        "reason": item.reason,
    }


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@router.get(
    "/pure-online-occupations",
    response=list[PureOnlineOut],
    summary="纯线上培训职业清单（§20(3)）",
)
def pure_online_list(request: HttpRequest) -> list[dict[str, object]]:
    return [_pure_online_out(i) for i in selectors.pure_online_list(actor=_user(request))]


@router.post(
    "/pure-online-occupations",
    response={201: PureOnlineOut},
    summary="列入纯线上培训职业清单（市人社局）",
)
def pure_online_add(request: HttpRequest, payload: PureOnlineIn) -> Status[dict[str, object]]:
    item = services.pure_online_allow(actor=_user(request), **payload.dict())
    return Status(201, _pure_online_out(item))


@router.post(
    "/pure-online-occupations/{item_id}/end",
    response=PureOnlineOut,
    summary="移出纯线上培训职业清单（市人社局）",
)
def pure_online_end(
    request: HttpRequest, item_id: Id, payload: PureOnlineEndIn
) -> dict[str, object]:
    item = services.pure_online_end(actor=_user(request), item_id=item_id, **payload.dict())
    return _pure_online_out(item)


class ContractIn(Schema):
    contract_start: Day
    contract_end: Day


class ContractOut(Schema):
    person_id: int
    contract_start: dt.date
    contract_end: dt.date


@router.put(
    "/classes/{class_id}/roster/{person_id}/contract",
    response=ContractOut,
    summary="登记学徒劳动合同（企业新型学徒制）",
)
def contract(
    request: HttpRequest, class_id: Id, person_id: Id, payload: ContractIn
) -> dict[str, object]:
    e = services.apprentice_contract_set(
        actor=_actor(request), class_id=class_id, person_id=person_id, **payload.dict()
    )
    return {
        "person_id": e.person_id,
        "contract_start": e.contract_start,
        "contract_end": e.contract_end,
    }
