"""A batch with bad rows is refused whole, every bad row named (row, field, reason)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chizheng.online import services
from chizheng.online.tests.logs import Log, csv, ndjson
from chizheng.online.validation import BatchRefused


def _problems(exc: pytest.ExceptionInfo[BatchRefused]) -> list[tuple[int, str]]:
    return [(p["row"], p["field"]) for p in exc.value.detail["problems"]]


def test_one_bad_row_refuses_the_batch_and_is_named(online_dir: Path) -> None:
    log = Log().play(0, 600)
    log.rows[4]["kind"] = "heartbeat"
    with pytest.raises(BatchRefused) as exc:
        services.ingest_bytes(data=ndjson(log.rows), name="b.ndjson", platform="P1")
    assert _problems(exc) == [(5, "kind")]
    assert exc.value.code == "online_bad_rows"
    assert "第 5 行" in exc.value.message and "整批未接收" in exc.value.message
    assert not (online_dir / "events").exists() or not list(
        (online_dir / "events").rglob("*.parquet")
    )


def test_every_bad_row_is_listed(online_dir: Path) -> None:
    log = Log().play(0, 600)
    log.rows[1]["lesson"] = 0
    log.rows[2]["pos"] = None
    log.rows[3]["learner"] = "410402199001011234"
    log.rows[5]["ts"] = log.rows[5]["ts"].replace(year=1999)
    face = next(i for i, r in enumerate(log.rows) if r["kind"] == "face")
    log.rows[face]["ok"] = None
    with pytest.raises(BatchRefused) as exc:
        services.ingest_bytes(data=csv(log.rows), name="b.csv", platform="P1")
    assert sorted(_problems(exc)) == sorted(
        [(2, "lesson"), (3, "pos"), (4, "learner"), (6, "ts"), (face + 1, "ok")]
    )
    assert exc.value.detail["bad_rows"] == 5


def test_text_where_a_number_belongs(online_dir: Path) -> None:
    data = ndjson(Log().play(0, 120).rows).replace(b'"lesson": 1', b'"lesson": "one"', 1)
    with pytest.raises(BatchRefused) as exc:
        services.ingest_bytes(data=data, name="b.ndjson", platform="P1")
    assert _problems(exc) == [(1, "lesson")]


def test_timestamp_without_zone_is_refused(online_dir: Path) -> None:
    data = ndjson(Log().play(0, 60).rows).replace(b'Z"', b'"', 1)
    with pytest.raises(BatchRefused) as exc:
        services.ingest_bytes(data=data, name="b.ndjson", platform="P1")
    assert _problems(exc) == [(1, "ts")]


def test_broken_json_line_is_named(online_dir: Path) -> None:
    lines = ndjson(Log().play(0, 120).rows).splitlines()
    lines[2] = b'{"event_id": 3,'
    with pytest.raises(BatchRefused) as exc:
        services.ingest_bytes(data=b"\n".join(lines), name="b.ndjson", platform="P1")
    assert _problems(exc) == [(3, "")]


def test_rows_of_another_platform_are_refused(online_dir: Path) -> None:
    log = Log().play(0, 120)
    log.rows[0]["platform"] = "P2"
    with pytest.raises(BatchRefused) as exc:
        services.ingest_bytes(data=ndjson(log.rows), name="b.ndjson", platform="P1")
    assert _problems(exc) == [(1, "platform")]
