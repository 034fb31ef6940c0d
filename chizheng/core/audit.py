"""Writing and verifying the audit log, and its signed checkpoints.

Every service that changes state calls ``record`` inside its transaction. The chain head
row is locked while a link is added, so concurrent writers queue instead of forking the
chain (lock order: business rows first, the audit head last).

Each row's ``hash`` is HMAC-SHA256, keyed by ``CHIZHENG_AUDIT_KEY`` (from the environment,
never in the database), over the row's canonical JSON and the previous row's hash: whoever
holds only the database cannot alter a row and recompute the chain. Whoever also holds the
key can; a ``Checkpoint`` — the signed head (count, hash, time) written to a file kept
elsewhere — then shows any rewrite of the rows it covers (docs/architecture.md, "Audit log").
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Model

from . import clock
from .logging import mask_text
from .models import AuditEvent, AuditHead

if TYPE_CHECKING:
    from chizheng.accounts.models import User

GENESIS = "0" * 64
CHECKPOINT_FORMAT = "chizheng-audit-checkpoint/1"


@lru_cache(maxsize=4)
def _keys(value: str) -> tuple[bytes, bytes]:
    """The chain's key and the checkpoints' key, both derived from ``CHIZHENG_AUDIT_KEY`` (one
    secret to keep; a row's MAC can never pass for a checkpoint's signature or the reverse)."""
    if not value:
        raise ImproperlyConfigured(
            "CHIZHENG_AUDIT_KEY is not set: the audit log cannot be signed. Set it to 32 random "
            "bytes in base64 (`python -c 'import os,base64;print(base64.b64encode(os.urandom(32)).decode())'`)."
        )
    try:
        key = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as e:
        raise ImproperlyConfigured("CHIZHENG_AUDIT_KEY is not valid base64") from e
    if len(key) != 32:
        raise ImproperlyConfigured(f"CHIZHENG_AUDIT_KEY must decode to 32 bytes, got {len(key)}")

    def derive(purpose: bytes) -> bytes:
        return hmac.new(key, purpose, hashlib.sha256).digest()

    return derive(b"chizheng audit chain"), derive(b"chizheng audit checkpoint")


def _chain_key() -> bytes:
    return _keys(settings.AUDIT_KEY)[0]


def _checkpoint_key() -> bytes:
    return _keys(settings.AUDIT_KEY)[1]


def _plain(value: Any) -> Any:
    """JSON-safe copy (Decimals, dates become strings) so stored == hashed."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def _digest(
    *,
    seq: int,
    at: dt.datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    before: Any,
    after: Any,
    reason: str,
    prev_hash: str,
) -> str:
    body = json.dumps(
        {
            "seq": seq,
            "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "actor": actor_id,
            "actor_label": actor_label,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "before": before,
            "after": after,
            "reason": reason,
            "prev": prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hmac.new(_chain_key(), body.encode("utf-8"), hashlib.sha256).hexdigest()


def record(
    *,
    actor: User | None,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    before: Any = None,
    after: Any = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event. Personal data must already be masked in ``before``/``after``."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    before, after = _plain(before), _plain(after)
    # No savepoint of its own: inside a service's transaction the event stands or falls with
    # the change it records (a failure here fails the whole change, never the event alone),
    # and every audited write saves two round trips.
    with transaction.atomic(savepoint=False):
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        seq = head.seq + 1
        at = clock.now()
        fields: dict[str, Any] = {
            "seq": seq,
            "at": at,
            "actor_id": actor.pk if actor else None,
            "actor_label": actor.get_username() if actor else "system",
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "before": before,
            "after": after,
            "reason": mask_text(reason),
            "prev_hash": head.hash,
        }
        digest = _digest(**fields)
        event = AuditEvent.objects.create(**fields, hash=digest)
        head.seq, head.hash = seq, digest
        head.save(update_fields=["seq", "hash"])
    return event


@dataclass(frozen=True)
class Break:
    seq: int
    problem: str  # Chinese
    problem_en: str


def _events() -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)


def verify() -> tuple[int, Break | None]:
    """Walk the chain; return the number of rows checked and the first broken one."""
    prev, expected_seq, checked = GENESIS, 1, 0
    for e in _events():
        if e.seq != expected_seq:
            return checked, Break(
                expected_seq,
                f"第{expected_seq}条记录缺失（下一条为第{e.seq}条）",
                f"row {expected_seq} is missing (next is {e.seq})",
            )
        if e.prev_hash != prev:
            return checked, Break(
                e.seq,
                f"第{e.seq}条记录的前序哈希不符",
                f"row {e.seq}: previous hash does not match",
            )
        digest = _digest(
            seq=e.seq,
            at=e.at,
            actor_id=e.actor_id,
            actor_label=e.actor_label,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            before=e.before,
            after=e.after,
            reason=e.reason,
            prev_hash=e.prev_hash,
        )
        if digest != e.hash:
            return checked, Break(
                e.seq, f"第{e.seq}条记录内容被修改", f"row {e.seq}: content was altered"
            )
        prev, expected_seq, checked = e.hash, e.seq + 1, checked + 1
    head = AuditHead.objects.filter(id=1).first()
    if head and head.seq != checked:
        return checked, Break(
            checked + 1,
            f"日志末尾被删除：应有{head.seq}条，实有{checked}条",
            f"rows were deleted from the end: expected {head.seq}, found {checked}",
        )
    return checked, None


# --- checkpoints ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head at one moment, signed with the audit key: kept outside the system
    (another machine, paper, the city's records office), it pins every row up to ``count``."""

    count: int
    hash: str
    at: str  # ISO 8601, UTC
    format: str = CHECKPOINT_FORMAT
    signature: str = ""

    def _signed_part(self) -> bytes:
        body = {k: v for k, v in asdict(self).items() if k != "signature"}
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")

    def signed(self) -> Checkpoint:
        mac = hmac.new(_checkpoint_key(), self._signed_part(), hashlib.sha256).hexdigest()
        return Checkpoint(self.count, self.hash, self.at, self.format, mac)

    def signature_ok(self) -> bool:
        return hmac.compare_digest(self.signed().signature, self.signature)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n"


class CheckpointUnreadable(ValueError):
    pass


def checkpoint_parse(text: str) -> Checkpoint:
    """A checkpoint from its file, or ``CheckpointUnreadable`` saying what is wrong (Chinese)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise CheckpointUnreadable(f"检查点文件不是有效的JSON（第{e.lineno}行）") from None
    if not isinstance(data, dict) or data.get("format") != CHECKPOINT_FORMAT:
        raise CheckpointUnreadable(f"检查点文件格式不符（应为 {CHECKPOINT_FORMAT}）")
    count, digest, at, signature = (data.get(k) for k in ("count", "hash", "at", "signature"))
    if not (
        isinstance(count, int)
        and not isinstance(count, bool)
        and count >= 0
        and all(isinstance(v, str) for v in (digest, at, signature))
    ):
        raise CheckpointUnreadable("检查点文件缺少条数、哈希、时间或签名")
    return Checkpoint(count, str(digest), str(at), CHECKPOINT_FORMAT, str(signature))


def checkpoint() -> Checkpoint:
    """The signed head of the chain as it stands (read under the head's lock, so that the
    count and hash are of one moment)."""
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(id=1).first()
        count, digest = (head.seq, head.hash) if head else (0, GENESIS)
    at = clock.now().astimezone(dt.UTC).isoformat(timespec="seconds")
    return Checkpoint(count, digest, at).signed()


def verify_checkpoint(point: Checkpoint) -> Break | None:
    """Whether the chain still holds what the checkpoint pinned: the row ``count`` with the
    hash signed then. Run after ``verify`` (which checks every link from the first row)."""
    if not point.signature_ok():
        return Break(
            point.count,
            "检查点文件签名无效：文件被改动，或不是用本系统的审计密钥签发的",
            "the checkpoint's signature does not match: altered, or signed with another key",
        )
    if point.count == 0:
        return None
    row = AuditEvent.objects.filter(seq=point.count).values_list("hash", flat=True).first()
    if row is None:
        total = AuditEvent.objects.count()
        return Break(
            point.count,
            f"与检查点不符：检查点（{point.at}）时日志有{point.count}条，现只有{total}条，"
            "检查点之前的记录被删除",
            f"the checkpoint of {point.at} covers {point.count} rows; only {total} remain",
        )
    if not hmac.compare_digest(row, point.hash):
        return Break(
            point.count,
            f"与检查点不符：第{point.count}条记录的哈希与检查点（{point.at}）签发时不同，"
            "检查点之前的日志被改写",
            f"row {point.count} differs from the checkpoint of {point.at}: the log was rewritten",
        )
    return None


def history(obj: Model) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)))
