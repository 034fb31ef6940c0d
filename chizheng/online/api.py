"""HTTP API for platforms: upload event batches, list one's own batches.

Authentication is the platform's bearer token (not a user session); every path names the
platform, and a token may only act on its own platform: another platform's path answers
"not found", the same as a platform that does not exist.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import HttpBearer

from chizheng.core.errors import NotFound

from . import selectors, services
from .models import PlatformToken
from .tokens import platform_for_token

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
    result = services.ingest_bytes(data=_body(request), name=name, platform=platform.code)
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
