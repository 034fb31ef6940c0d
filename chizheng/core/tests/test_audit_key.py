"""Finding 11 of issue 11: the audit chain is keyed (HMAC-SHA256, key from the environment),
and a signed checkpoint kept elsewhere detects a rewrite even by someone who holds the key."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from chizheng.core import audit
from chizheng.core.models import AuditEvent, AuditHead

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def _five(make_user: Callable[..., Any]) -> None:
    actor = make_user()
    for i in range(5):
        audit.record(actor=actor, action="test.step", object_type="x", object_id=i, after={"n": i})


def _body(e: AuditEvent, prev: str) -> bytes:
    """A row as the chain hashes it (the canonical JSON documented in core.audit)."""
    return json.dumps(
        {
            "seq": e.seq,
            "at": e.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "actor": e.actor_id,
            "actor_label": e.actor_label,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "before": e.before,
            "after": e.after,
            "reason": e.reason,
            "prev": prev,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")


def _plain_sha256(e: AuditEvent, prev: str) -> str:
    return hashlib.sha256(_body(e, prev)).hexdigest()


def _with_the_key(e: AuditEvent, prev: str) -> str:
    """What an attacker who also holds CHIZHENG_AUDIT_KEY computes: the system's own digest."""
    return audit._digest(
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
        prev_hash=prev,
    )


def _rewrite(seq: int, reason: str, digest: Callable[[AuditEvent, str], str]) -> None:
    """Alter one row as a database administrator would, then recompute every later link and
    the head so that the chain is consistent again (past the guard trigger; rolled back)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        else:
            cur.execute("DROP TRIGGER core_auditevent_append_only")
        cur.execute("UPDATE core_auditevent SET reason = %s WHERE seq = %s", [reason, seq])
        prev = AuditEvent.objects.get(seq=seq).prev_hash
        for e in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
            h = digest(e, prev)
            cur.execute(
                "UPDATE core_auditevent SET prev_hash = %s, hash = %s WHERE seq = %s",
                [prev, h, e.seq],
            )
            prev = h
        cur.execute("UPDATE core_audithead SET hash = %s WHERE id = 1", [prev])


def _run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", *args, stdout=out, stderr=err)
    except SystemExit as e:
        return int(e.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_a_rewrite_recomputed_with_plain_sha256_is_found(make_user) -> None:
    _five(make_user)
    _rewrite(3, "改过了", _plain_sha256)
    _, broken = audit.verify()
    assert broken is not None and broken.seq == 3
    assert "被修改" in broken.problem


def test_the_chain_is_keyed_by_the_environment_key(make_user, settings) -> None:
    _five(make_user)
    assert audit.verify()[1] is None
    settings.AUDIT_KEY = "b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXktMDE="  # another 32-byte key
    _, broken = audit.verify()
    assert broken is not None and broken.seq == 1


def test_a_checkpoint_detects_a_rewrite_recomputed_with_the_key(make_user, tmp_path) -> None:
    _five(make_user)
    checkpoint = tmp_path / "head.json"
    code, _, err = _run("checkpoint", "--out", str(checkpoint))
    assert code == 0 and "5" in err
    signed = json.loads(checkpoint.read_text(encoding="utf-8"))
    assert signed["count"] == 5 and signed["hash"] == AuditHead.objects.get().hash
    assert signed["signature"] and signed["at"]

    audit.record(actor=None, action="test.later")  # rows after the checkpoint are fine
    assert _run("verify", "--checkpoint", str(checkpoint))[0] == 0

    _rewrite(2, "改过了", _with_the_key)
    assert audit.verify()[1] is None  # with the key, the chain alone cannot tell ...
    code, _, err = _run("verify", "--checkpoint", str(checkpoint))
    assert code == 1  # ... the checkpoint kept elsewhere can
    assert "检查点" in err and "第5条" in err


def test_a_checkpoint_detects_rows_removed_from_the_end(make_user, tmp_path) -> None:
    _five(make_user)
    checkpoint = tmp_path / "head.json"
    _run("checkpoint", "--out", str(checkpoint))
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        cur.execute("DELETE FROM core_auditevent WHERE seq >= 4")
        third = AuditEvent.objects.get(seq=3).hash
        cur.execute("UPDATE core_audithead SET seq = 3, hash = %s WHERE id = 1", [third])
    assert audit.verify()[1] is None
    code, _, err = _run("verify", "--checkpoint", str(checkpoint))
    assert code == 1 and "检查点" in err


def test_a_forged_checkpoint_is_refused(make_user, tmp_path) -> None:
    _five(make_user)
    checkpoint = tmp_path / "head.json"
    _run("checkpoint", "--out", str(checkpoint))
    signed = json.loads(checkpoint.read_text(encoding="utf-8"))
    signed["count"] = 4
    checkpoint.write_text(json.dumps(signed), encoding="utf-8")
    code, _, err = _run("verify", "--checkpoint", str(checkpoint))
    assert code == 1 and "签名" in err


def test_an_unreadable_checkpoint_is_a_clear_error(tmp_path) -> None:
    missing = tmp_path / "nope.json"
    code, _, err = _run("verify", "--checkpoint", str(missing))
    assert code == 1 and "检查点文件" in err
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json", encoding="utf-8")
    code, _, err = _run("verify", "--checkpoint", str(garbage))
    assert code == 1 and "检查点文件" in err


def test_the_checkpoint_goes_to_stdout_without_out(make_user) -> None:
    _five(make_user)
    code, out, _ = _run("checkpoint")
    assert code == 0 and json.loads(out)["count"] == 5


def test_a_production_start_without_the_audit_key_stops(tmp_path) -> None:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("CHIZHENG_", "PYTEST", "DJANGO_"))
    }
    env.update(
        CHIZHENG_VAR_DIR=str(tmp_path),  # no var/local.env to read the demo's keys from
        CHIZHENG_SECRET_KEY="x" * 50,
        CHIZHENG_DATA_KEY="dGVzdC1kYXRhLWtleS0wMTIzNDU2Nzg5YWJjZGVmMDE=",
        CHIZHENG_INDEX_KEY="dGVzdC1pbmRleC1rZXktMDEyMzQ1Njc4OWFiY2RlZjA=",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    r = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert r.returncode != 0
    assert "CHIZHENG_AUDIT_KEY" in r.stderr


def test_the_demo_generates_an_audit_key(tmp_path) -> None:
    from chizheng.cli import ensure_local_env

    (tmp_path / "local.env").write_text("CHIZHENG_SECRET_KEY=kept\n", encoding="utf-8")
    text = ensure_local_env(tmp_path).read_text(encoding="utf-8")
    assert "CHIZHENG_SECRET_KEY=kept\n" in text
    key = next(line.split("=", 1)[1] for line in text.splitlines() if "AUDIT_KEY=" in line)
    import base64

    assert len(base64.b64decode(key, validate=True)) == 32


# --- a log written before the chain was keyed ------------------------------------------------


def _migration() -> Any:
    import importlib

    return importlib.import_module("chizheng.core.migrations.0003_audit_chain_keyed")


def _as_before_the_key(make_user) -> str:
    """Five rows linked by plain SHA-256, as the previous version wrote them; their head."""
    _five(make_user)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    _rewrite(1, AuditEvent.objects.get(seq=1).reason, _plain_sha256)
    return AuditHead.objects.get().hash


def test_the_migration_reseals_an_unkeyed_log(make_user) -> None:
    from types import SimpleNamespace

    from django.apps import apps

    old_head = _as_before_the_key(make_user)
    assert audit.verify()[1] is not None  # the keyed verify refuses the plain links
    _migration().forward(apps, SimpleNamespace(connection=connection))
    checked, broken = audit.verify()
    assert broken is None and checked == 6
    mark = AuditEvent.objects.get(seq=6)
    assert mark.action == "audit.chain_keyed"
    assert mark.before == {"scheme": "sha256", "head": old_head}
    assert mark.after == {"scheme": "hmac-sha256", "rows": 5}
    audit.record(actor=None, action="test.after")  # the chain goes on
    assert audit.verify() == (7, None)
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE core_auditevent SET reason = 'x'")  # the guard is back


def test_the_migration_refuses_to_reseal_a_broken_log(make_user) -> None:
    from types import SimpleNamespace

    from django.apps import apps

    _as_before_the_key(make_user)
    with connection.cursor() as cur:  # the trigger is gone since _rewrite, on SQLite
        if connection.vendor == "postgresql":
            cur.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        cur.execute("UPDATE core_auditevent SET reason = 'x' WHERE seq = 3")
        if connection.vendor != "postgresql":
            cur.execute(_migration().SQLITE_TRIGGER)
    with pytest.raises(RuntimeError, match="broken at row 3"):
        _migration().forward(apps, SimpleNamespace(connection=connection))


def test_the_migration_freezes_the_same_digest_as_the_code(make_user) -> None:
    _five(make_user)
    for e in AuditEvent.objects.order_by("seq"):
        fields = {f: getattr(e, f) for f in _migration().FIELDS}
        assert _migration()._keyed(fields, e.prev_hash) == e.hash
