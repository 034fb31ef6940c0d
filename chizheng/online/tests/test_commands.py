"""``chizheng online generate | ingest | audit | report`` end to end, on a small log."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command


def _run(*args: str) -> str:
    out = StringIO()
    call_command("online", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_generate_ingest_audit_report(online_dir: Path, tmp_path: Path) -> None:
    assert "已生成" in _run("generate", "--learners", "6", "--out", str(tmp_path / "g"))
    files = sorted((tmp_path / "g" / "events").glob("*.parquet"))
    for code in ("PF1", "PF2", "PF3"):
        mine = [str(f) for f in files if f.name.endswith(f"-{code}.parquet")]
        if mine:
            assert "新存" in _run("ingest", *mine, "--platform", code)
    out = tmp_path / "result.parquet"
    assert "已审计" in _run("audit", "--out", str(out))
    assert (
        pq.read_table(out).to_pylist()
        == pq.read_table(tmp_path / "g" / "expected.parquet").to_pylist()
    )
    assert "认定" in _run("report", str(out), "--at", "2022-06-01")


def test_bad_batch_names_rows_and_fails(online_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "event_id,learner,session,course,lesson,ts,kind\n1,L,S,C,0,2022-06-01T08:00:00Z,hb\n"
    )
    with pytest.raises(CommandError, match="online_bad_rows"):
        _run("ingest", str(bad), "--platform", "P1")


def test_ingest_names_changed_resends(online_dir: Path, tmp_path: Path) -> None:
    from chizheng.online.tests.logs import Log, ndjson

    log = Log().play(0, 120)
    first = tmp_path / "a.ndjson"
    first.write_bytes(ndjson(log.rows))
    _run("ingest", str(first), "--platform", "P1")
    log.rows[0]["course"] = "C-other"
    again = tmp_path / "b.ndjson"
    again.write_bytes(ndjson(log.rows))
    out = _run("ingest", str(again), "--platform", "P1")
    assert f"1 条内容与已存的不同，未存：事件号 {log.rows[0]['event_id']}" in out
