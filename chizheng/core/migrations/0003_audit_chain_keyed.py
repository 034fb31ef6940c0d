"""Data: re-seal an audit log written before the chain was keyed (issue 11, finding 11).

Rows written before this migration are linked by plain SHA-256; from now on every link is
HMAC-SHA256 keyed by ``CHIZHENG_AUDIT_KEY``. Accepting both kinds of link would let whoever
holds the database pass off a rewritten log as an old, unkeyed one, so the old rows are
re-sealed instead:

1. the old chain is checked as ``audit verify`` checked it (plain SHA-256); if it is broken,
   the migration stops, naming the row — re-sealing would cover the break up;
2. every link is recomputed with the key, over the same canonical JSON;
3. one event is appended, ``audit.chain_keyed``, with the number of rows re-sealed and the
   old head's hash, so that a copy of that hash kept from before can still be compared.

Backwards, the links are recomputed as plain SHA-256 (after checking the keyed chain).
The digest is frozen here, not imported: a migration never imports app code.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import migrations
from django.utils import timezone

GENESIS = "0" * 64
SQLITE_TRIGGER = """
    CREATE TRIGGER core_auditevent_append_only BEFORE UPDATE ON core_auditevent
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END
"""


def _body(fields: dict[str, Any], prev: str) -> bytes:
    return json.dumps(
        {
            "seq": fields["seq"],
            "at": fields["at"].astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "actor": fields["actor_id"],
            "actor_label": fields["actor_label"],
            "action": fields["action"],
            "object_type": fields["object_type"],
            "object_id": fields["object_id"],
            "before": fields["before"],
            "after": fields["after"],
            "reason": fields["reason"],
            "prev": prev,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")


def _plain(fields: dict[str, Any], prev: str) -> str:
    return hashlib.sha256(_body(fields, prev)).hexdigest()


def _keyed(fields: dict[str, Any], prev: str) -> str:
    raw = getattr(settings, "AUDIT_KEY", "")
    if not raw:  # only asked for when there are rows to re-seal
        raise RuntimeError(
            "CHIZHENG_AUDIT_KEY is not set: the existing audit log cannot be re-sealed with it"
        )
    key = base64.b64decode(raw, validate=True)
    chain_key = hmac.new(key, b"chizheng audit chain", hashlib.sha256).digest()
    return hmac.new(chain_key, _body(fields, prev), hashlib.sha256).hexdigest()


FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "reason",
    "prev_hash",
    "hash",
)


def _reseal(
    apps: Any,
    connection: Any,
    *,
    old: Callable[[dict[str, Any], str], str],
    new: Callable[[dict[str, Any], str], str],
    mark: bool,
) -> None:
    event_model = apps.get_model("core", "AuditEvent")
    head_model = apps.get_model("core", "AuditHead")
    rows = list(event_model._base_manager.order_by("seq").values(*FIELDS))
    if not rows:
        return
    prev, links = GENESIS, []
    for expected, row in enumerate(rows, start=1):
        if row["seq"] != expected or row["prev_hash"] != prev or old(row, prev) != row["hash"]:
            raise RuntimeError(
                f"the audit log is broken at row {expected}: it is not re-sealed. Find out what "
                "happened (`chizheng audit verify` of the previous version names the row) first."
            )
        prev = row["hash"]
    old_head, prev = prev, GENESIS
    for row in rows:
        digest = new(row, prev)
        links.append((prev, digest, row["seq"]))
        prev = digest
    vendor = connection.vendor
    with connection.cursor() as cur:
        if vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
        else:
            cur.execute("DROP TRIGGER IF EXISTS core_auditevent_append_only")
        cur.executemany(
            "UPDATE core_auditevent SET prev_hash = %s, hash = %s WHERE seq = %s", links
        )
        if vendor == "postgresql":
            cur.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")
        else:
            cur.execute(SQLITE_TRIGGER)
    if mark:
        fields: dict[str, Any] = {
            "seq": len(rows) + 1,
            "at": timezone.now(),
            "actor_id": None,
            "actor_label": "system",
            "action": "audit.chain_keyed",
            "object_type": "core.auditevent",
            "object_id": "",
            "before": {"scheme": "sha256", "head": old_head},
            "after": {"scheme": "hmac-sha256", "rows": len(rows)},
            "reason": "审计日志改为以 CHIZHENG_AUDIT_KEY 签名（HMAC-SHA256），既有记录重新签名",
        }
        prev = new(fields, prev)
        event_model._base_manager.create(**fields, prev_hash=links[-1][1], hash=prev)
    head_model._base_manager.update_or_create(
        id=1, defaults={"seq": len(rows) + int(mark), "hash": prev}
    )


def forward(apps: Any, schema_editor: Any) -> None:
    _reseal(apps, schema_editor.connection, old=_plain, new=_keyed, mark=True)


def backward(apps: Any, schema_editor: Any) -> None:
    _reseal(apps, schema_editor.connection, old=_keyed, new=_plain, mark=False)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only_triggers")]

    operations = [migrations.RunPython(forward, backward)]
