"""API of the class lifecycle, so an institution's own system can submit classes and attendance."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from chizheng.accounts.models import Role, User
from chizheng.api.pagination import Page, paginate
from chizheng.core import clock
from chizheng.core.errors import PermissionDenied
from chizheng.core.review import Seen

from . import selectors, services
from .models import TrainingClass

router = Router(tags=["training"])


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    if request.user.role == Role.WORKER:  # trainees see their own records on their pages
        raise PermissionDenied("学员请在首页查看本人的培训与证书", message_en="not for trainees")
    return request.user


class ClassIn(Schema):
    batch: str
    start_date: dt.date
    end_date: dt.date
    occupation_code: str
    skill_level: int | None = None
    certificate_type: str
    planned_count: int
    class_hours: int
    practical_hours: int
    online_theory_hours: int = 0
    class_hour_minutes: int
    mode: str
    platform_id: int | None = None
    teacher_ids: list[int] = []
    site_ids: list[int] = []
    contact_name: str
    contact_phone: str
    bank_name: str = ""
    bank_account: str = ""
    programme_id: int | None = None
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
    seen = selectors.review_seen(klass=k) if pending else None
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
    request: HttpRequest, status: str = "", q: str = "", page: int = 1, page_size: int = 50
) -> dict[str, object]:
    qs = selectors.class_list(actor=_actor(request), status=status, q=q)
    count, rows = paginate(qs, page=page, page_size=page_size)
    return {"count": count, "page": page, "page_size": page_size, "items": [_out(k) for k in rows]}


@router.post("/classes", response={201: ClassOut}, summary="新建开班申请（草稿）")
def class_create(request: HttpRequest, payload: ClassIn) -> Status[dict[str, object]]:
    k = services.class_create(actor=_actor(request), **payload.dict())
    return Status(201, _out(k))


@router.get("/classes/{class_id}", response=ClassOut, summary="培训班详情")
def class_get(request: HttpRequest, class_id: int) -> dict[str, object]:
    return _out(selectors.class_get(actor=_actor(request), class_id=class_id), pending=True)


class RosterIn(Schema):
    id_numbers: list[str]


class RosterOut(Schema):
    added: int
    already: int
    unknown: list[str]


@router.post(
    "/classes/{class_id}/roster", response=RosterOut, summary="加入人员名册（按身份证号码）"
)
def roster(request: HttpRequest, class_id: int, payload: RosterIn) -> services.RosterResult:
    return services.roster_add(
        actor=_actor(request), class_id=class_id, id_numbers=payload.id_numbers
    )


@router.post(
    "/classes/{class_id}/submit", response=ClassOut, summary="提交开班申请（运行全部合规规则）"
)
def submit(request: HttpRequest, class_id: int) -> dict[str, object]:
    services.class_submit(actor=_actor(request), class_id=class_id)
    return _out(selectors.class_get(actor=_actor(request), class_id=class_id))


class ReviewIn(Schema):
    decision: str
    opinion: str = ""
    # The step acted on and the class's version, as the reviewer saw them (GET /classes/{id}):
    # a review of a step already done, or of a class changed since, is refused (409).
    level: str
    step: str
    version: int


@router.post(
    "/classes/{class_id}/review",
    response=ClassOut,
    summary="审核（初审/复核）：须写明所审环节与所见版本",
)
def review(request: HttpRequest, class_id: int, payload: ReviewIn) -> dict[str, object]:
    services.class_review(
        actor=_actor(request),
        class_id=class_id,
        decision=payload.decision,
        opinion=payload.opinion,
        seen=Seen(level=payload.level, step=payload.step, version=payload.version),
    )
    return _out(selectors.class_get(actor=_actor(request), class_id=class_id), pending=True)


@router.post("/classes/{class_id}/start", response=ClassOut, summary="开班")
def start(request: HttpRequest, class_id: int) -> dict[str, object]:
    return _out(services.class_start(actor=_actor(request), class_id=class_id))


class SessionIn(Schema):
    held_on: dt.date
    kind: str
    class_hours: int
    minutes: int
    recorded_minutes: int = 0
    longest_continuous: list[int] = []
    shows_all_trainees: bool = True


class IdOut(Schema):
    id: int


@router.post("/classes/{class_id}/sessions", response={201: IdOut}, summary="登记课程及录像")
def session_add(request: HttpRequest, class_id: int, payload: SessionIn) -> Status[dict[str, int]]:
    s = services.session_add(actor=_actor(request), class_id=class_id, **payload.dict())
    return Status(201, {"id": s.pk})


class AttendanceIn(Schema):
    present_person_ids: list[int]


class CountOut(Schema):
    present: int


@router.post("/sessions/{session_id}/attendance", response=CountOut, summary="登记签到")
def attendance(request: HttpRequest, session_id: int, payload: AttendanceIn) -> dict[str, int]:
    n = services.attendance_record(
        actor=_actor(request), session_id=session_id, present_person_ids=payload.present_person_ids
    )
    return {"present": n}


class InspectionIn(Schema):
    kind: str
    held_on: dt.date
    place: str
    present: int
    signed_in: int
    teachers_present: int
    materials_kept: bool = True
    notes: str = ""


@router.post("/classes/{class_id}/inspections", response={201: IdOut}, summary="登记检查情况")
def inspection(
    request: HttpRequest, class_id: int, payload: InspectionIn
) -> Status[dict[str, int]]:
    i = services.inspection_record(actor=_actor(request), class_id=class_id, **payload.dict())
    return Status(201, {"id": i.pk})


class AssessmentIn(Schema):
    evaluator_id: int
    held_on: dt.date
    applied_by: str = "institution"


@router.post("/classes/{class_id}/assessment", response={201: IdOut}, summary="登记结业考核")
def assessment(
    request: HttpRequest, class_id: int, payload: AssessmentIn
) -> Status[dict[str, int]]:
    a = services.assessment_register(actor=_actor(request), class_id=class_id, **payload.dict())
    return Status(201, {"id": a.pk})


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
            "class_id": i.klass.pk,
            "batch": i.klass.batch,
            "level": i.review.level,
            "step": i.review.step,
            "due_on": i.review.due_on,
            "overdue": i.overdue,
        }
        for i in selectors.review_queue(actor=_actor(request), today=clock.today())
    ]
