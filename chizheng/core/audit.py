"""Writing and verifying the audit log.

Every service that changes state calls ``record`` inside its transaction. The chain head
row is locked while a link is added, so concurrent writers queue instead of forking the
chain (lock order: business rows first, the audit head last).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Model

from . import clock
from .logging import mask_text
from .models import AuditEvent, AuditHead

if TYPE_CHECKING:
    from chizheng.accounts.models import User

GENESIS = "0" * 64


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
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


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
    with transaction.atomic():
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


def history(obj: Model) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)))
