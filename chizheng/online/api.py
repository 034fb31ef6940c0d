"""HTTP API of the online area.

For platforms: upload event batches, list one's own batches. Authentication is an API
token of one of the platform's users (``Authorization: Bearer …``, issued on the token page);
every path names the platform's code, and a token may only act on its own platform: another
platform's path answers "not found", the same as a platform that does not exist. A banned
platform's uploads are refused (409).

For users (session): a learner's void segments with rule and clause, the platforms' void
shares — each scoped by the access layer.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema

from chizheng.accounts.models import User
from chizheng.api.auth import token_auth
from chizheng.api.types import Choice, Id, Text
from chizheng.core.lazy import lazy_import

from .models import PlatformCode
from .platforms import uploading_platform

# Loaded when first used (chizheng.core.lazy): Arrow and DuckDB are not start-up work.
if TYPE_CHECKING:
    from . import selectors, services
else:
    selectors = lazy_import("chizheng.online.selectors")
    services = lazy_import("chizheng.online.services")

router = Router(tags=["online"])

CONTENT_TYPES = {
    "application/x-ndjson": "batch.ndjson",
    "application/jsonl": "batch.ndjson",
    "application/json": "batch.ndjson",
    "text/csv": "batch.csv",
    "application/vnd.apache.parquet": "batch.parquet",
    "application/x-parquet": "batch.parquet",
}


Code = Annotated[str, Text(32, min_length=1)]
PERIODS = {"day": "按日", "month": "按月"}

# The upload's body, for the OpenAPI document: the raw bytes of one batch in one of three
# formats (spec/online-learning-audit.md, "Event log"); the columns are the same in each.
EVENT_FIELDS = (
    "event_id (int64), platform (string, optional), learner, session, course (string), "
    "lesson (int32), ts (RFC 3339 with Z or an offset, e.g. 2022-05-09T08:00:00+08:00), "
    "kind (hb/popup/face/photo/done), pos, rate (number), ok (boolean)"
)
UPLOAD_BODY: dict[str, Any] = {
    "required": True,
    "description": (
        "一批学习事件，整批接收或整批拒收（不合格的行逐行列出原因）。字段：" + EVENT_FIELDS
    ),
    "content": {
        "application/x-ndjson": {
            "schema": {"type": "string", "description": "每行一个 JSON 对象（NDJSON）"},
        },
        "text/csv": {
            "schema": {"type": "string", "description": "带表头的 CSV，UTF-8"},
        },
        "application/vnd.apache.parquet": {
            "schema": {"type": "string", "format": "binary", "description": "Parquet 文件"},
        },
    },
}


def _own(request: HttpRequest, code: str) -> PlatformCode:
    user = request.user
    assert isinstance(user, User)  # token_auth sets the token's user
    return uploading_platform(user=user, code=code)


def _body(request: HttpRequest) -> bytes:
    """The upload, read from the stream: a batch may exceed DATA_UPLOAD_MAX_MEMORY_SIZE
    (meant for forms); ``services`` enforces the batch limit instead."""
    if getattr(request, "_body", None) is not None:
        return request.body
    return request.read(services.MAX_BATCH_BYTES + 1)


class ChangedOut(Schema):
    event_id: int
    fields: list[str]


class IngestOut(Schema):
    platform: str
    received: int
    stored: int
    duplicates: int
    changed: int  # re-sent event ids whose content differs from what was stored (not stored)
    changed_events: list[ChangedOut]  # the first of them, with the fields that differ


class BatchOut(Schema):
    name: str
    rows: int
    received: int | None
    duplicates: int | None
    changed: int | None
    changed_event_ids: list[int]


@router.post(
    "/platforms/{code}/events",
    response=IngestOut,
    auth=token_auth,
    summary="上传一批学习事件（NDJSON、CSV 或 Parquet，整批接收或整批拒收）",
    openapi_extra={"requestBody": UPLOAD_BODY},
)
def upload_events(request: HttpRequest, code: Code) -> IngestOut:
    platform = _own(request, code)
    kind = (request.content_type or "").split(";")[0].strip().lower()
    name = CONTENT_TYPES.get(kind, "upload")
    result = services.ingest_bytes(
        data=_body(request), name=name, platform=platform.code, institution=platform.institution
    )
    return IngestOut(
        platform=result.platform,
        received=result.received,
        stored=result.stored,
        duplicates=result.duplicates,
        changed=result.changed,
        changed_events=[
            ChangedOut(event_id=c.event_id, fields=list(c.fields)) for c in result.changed_events
        ],
    )


@router.get(
    "/platforms/{code}/batches",
    response=list[BatchOut],
    auth=token_auth,
    summary="本平台已接收的批次（含重复与内容不同的重发事件）",
)
def list_batches(request: HttpRequest, code: Code) -> list[BatchOut]:
    platform = _own(request, code)
    return [
        BatchOut(
            name=b.name,
            rows=b.rows,
            received=b.received,
            duplicates=b.duplicates,
            changed=b.changed,
            changed_event_ids=list(b.changed_event_ids),
        )
        for b in selectors.batches(platform=platform.code)
    ]


class RuleOut(Schema):
    code: str
    label: str
    clause: str


class VoidSegmentOut(Schema):
    session: str
    course: str
    lesson: int
    start: dt.datetime
    end: dt.datetime
    rules: list[RuleOut]


class LearnerVoidOut(Schema):
    learner: int
    learner_key: str
    credited_hours: int
    segments: list[VoidSegmentOut]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@router.get(
    "/learners/{learner_id}/void-segments",
    response=LearnerVoidOut,
    summary="学员的无效学习段（情形及依据条款）",
)
def learner_void_segments(request: HttpRequest, learner_id: Id) -> LearnerVoidOut:
    row, segments = selectors.learner_void_segments(actor=_user(request), learner_id=learner_id)
    return LearnerVoidOut(
        learner=row.pk,
        learner_key=row.learner_key,
        credited_hours=row.credited_hours,
        segments=[
            VoidSegmentOut(
                session=s.session,
                course=s.course,
                lesson=s.lesson,
                start=s.start,
                end=s.end,
                rules=[RuleOut(code=c, label=label, clause=cl) for c, label, cl in s.rules],
            )
            for s in segments
        ],
    )


class ShareOut(Schema):
    platform: int
    platform_name: str
    period: dt.date
    valid_s: float
    void_s: float
    void_share: float | None
    rule_shares: dict[str, float | None]


@router.get(
    "/platform-shares",
    response=list[ShareOut],
    summary="各线上平台无效学习时长占比（按日或按月）",
)
def platform_shares(
    request: HttpRequest, period: Annotated[str, Choice(PERIODS, "统计周期")] = "day"
) -> list[ShareOut]:
    shares = selectors.platform_shares(
        actor=_user(request), period="month" if period == "month" else "day"
    )
    return [
        ShareOut(
            platform=r.platform.pk,
            platform_name=r.platform.name,
            period=r.period,
            valid_s=float(r.valid_s),
            void_s=float(r.void_s),
            void_share=None if r.void_share is None else float(r.void_share),
            rule_shares={c: None if v is None else float(v) for c, v in r.rule_shares},
        )
        for r in shares.rows
    ]
