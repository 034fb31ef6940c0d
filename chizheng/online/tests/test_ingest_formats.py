"""A batch in NDJSON, CSV or Parquet is checked and stored as one Parquet file."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from chizheng.online import services
from chizheng.online.tests.logs import Log, csv, ndjson, parquet


def _log() -> Log:
    return Log(platform="P1").play(0, 900).add("done", 905).play(1000, 1300, lesson=2)


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("batch.ndjson", lambda log: ndjson(log.rows)),
        ("batch.csv", lambda log: csv(log.rows)),
        ("batch.parquet", lambda log: parquet(log.table())),
    ],
)
def test_each_format_is_stored_and_audited(online_dir: Path, name: str, encode: object) -> None:
    log = _log()
    data = encode(log)  # type: ignore[operator]
    result = services.ingest_bytes(data=data, name=name, platform="P1")
    assert (result.received, result.stored, result.duplicates) == (len(log.rows), len(log.rows), 0)
    assert result.file is not None and result.file.parent.parent.name == "platform=P1"
    stored = pq.read_table(result.file).sort_by("event_id")
    assert stored.column("event_id").to_pylist() == sorted(r["event_id"] for r in log.rows)
    out = online_dir / "result.parquet"
    assert services.audit_to_file(sources=[], out=out) == 2
    assert pq.read_table(out).to_pylist() == log.audit()


def test_platform_column_may_be_left_out(online_dir: Path) -> None:
    log = _log()
    rows = [{k: v for k, v in r.items() if k != "platform"} for r in log.rows]
    assert services.ingest_bytes(data=ndjson(rows), name="b.ndjson", platform="P1").stored == len(
        rows
    )


def test_format_is_sniffed_without_a_name(online_dir: Path) -> None:
    log = _log()
    assert services.ingest_bytes(data=parquet(log.table()), name="upload", platform="P1").stored
    assert services.ingest_bytes(data=ndjson(log.rows), name="upload", platform="P1").duplicates
