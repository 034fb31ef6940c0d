"""HTTP API of the online area.

For platforms: upload event batches, list one's own batches. Authentication is the
platform's bearer token (not a user session); every path names the platform, and a token
may only act on its own platform: another platform's path answers "not found", the same as
a platform that does not exist. A banned platform's uploads are refused (409).

For users (session): a learner's void segments with rule and clause, the platforms' void
shares — each scoped by the access layer.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import HttpBearer

from chizheng.accounts.models import User
from chizheng.core.errors import NotFound
from chizheng.core.lazy import lazy_import

from .models import PlatformToken
from .tokens import platform_for_token

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


class PlatformBearer(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> PlatformToken | None:
        return platform_for_token(token)


def _own(request: HttpRequest, code: str) -> PlatformToken:
    token = request.auth  # type: ignore[attr-defined]
    if not isinstance(token, PlatformToken) or token.code != code:
        raise NotFound("记录不存在或无权查看", message_en="not found", detail={"platform": code})
    return token


def _body(request: HttpRequest) -> bytes:
    """The upload, read from the stream: a batch may exceed DATA_UPLOAD_MAX_MEMORY_SIZE
    (meant for forms); ``services`` enforces the batch limit instead."""
    if getattr(request, "_body", None) is not None:
        return request.body
    return request.read(services.MAX_BATCH_BYTES + 1)


class IngestOut(Schema):
    platform: str
    received: int
    stored: int
    duplicates: int


class BatchOut(Schema):
    name: str
    rows: int


@router.post(
    "/platforms/{code}/events",
    response=IngestOut,
    auth=PlatformBearer(),
    summary="上传一批学习事件（NDJSON、CSV 或 Parquet，整批接收或整批拒收）",
)
def upload_events(request: HttpRequest, code: str) -> IngestOut:
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
    )


@router.get(
    "/platforms/{code}/batches",
    response=list[BatchOut],
    auth=PlatformBearer(),
    summary="本平台已接收的批次",
)
def list_batches(request: HttpRequest, code: str) -> list[BatchOut]:
    platform = _own(request, code)
    return [BatchOut(name=n, rows=r) for n, r in selectors.batches(platform=platform.code)]


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
def learner_void_segments(request: HttpRequest, learner_id: int) -> LearnerVoidOut:
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
def platform_shares(request: HttpRequest, period: str = "day") -> list[ShareOut]:
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
            rule_shares={c: None if v is None else float(v) for c, _, v in r.rule_shares},
        )
        for r in shares.rows
    ]
