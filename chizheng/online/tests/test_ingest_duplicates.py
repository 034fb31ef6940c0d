"""Ingestion is idempotent on (platform, event_id): a re-sent event is stored once."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from chizheng.online import services
from chizheng.online.tests.logs import Log, ndjson


def _stored_ids(online_dir: Path) -> list[int]:
    ids: list[int] = []
    for f in sorted((online_dir / "events").rglob("*.parquet")):
        ids.extend(pq.read_table(f).column("event_id").to_pylist())
    return sorted(ids)


def test_resent_batch_is_stored_once(online_dir: Path) -> None:
    log = Log().play(0, 600)
    data = ndjson(log.rows)
    first = services.ingest_bytes(data=data, name="b.ndjson", platform="P1")
    again = services.ingest_bytes(data=data, name="b.ndjson", platform="P1")
    assert first.stored == len(log.rows)
    assert (again.stored, again.duplicates, again.file) == (0, len(log.rows), None)
    assert _stored_ids(online_dir) == sorted(r["event_id"] for r in log.rows)


def test_duplicate_event_in_one_batch_is_counted_once(online_dir: Path) -> None:
    log = Log().play(0, 300)
    rows = [*log.rows, log.rows[3]]
    result = services.ingest_bytes(data=ndjson(rows), name="b.ndjson", platform="P1")
    assert (result.received, result.stored, result.duplicates) == (len(rows), len(rows) - 1, 1)


def test_overlapping_batches_store_the_new_events_only(online_dir: Path) -> None:
    log = Log().play(0, 1200)
    half = len(log.rows) // 2
    services.ingest_bytes(data=ndjson(log.rows[: half + 5]), name="a.ndjson", platform="P1")
    second = services.ingest_bytes(data=ndjson(log.rows[half:]), name="b.ndjson", platform="P1")
    assert (second.stored, second.duplicates) == (len(log.rows) - half - 5, 5)
    assert _stored_ids(online_dir) == sorted(r["event_id"] for r in log.rows)


def test_same_event_id_on_two_platforms_is_two_events(online_dir: Path) -> None:
    log = Log().play(0, 300)
    services.ingest_bytes(data=ndjson(log.rows), name="a.ndjson", platform="P1")
    rows = [{**r, "platform": "P2"} for r in log.rows]
    assert services.ingest_bytes(data=ndjson(rows), name="b.ndjson", platform="P2").stored == len(
        rows
    )
