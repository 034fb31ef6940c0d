"""A re-sent event id with a changed content is reported — in the upload's result and in
the upload's record — not dropped silently; the first version stays stored. The same
content re-sent is a plain duplicate."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq

from chizheng.api.tests.clients import ApiClient
from chizheng.online import config, services
from chizheng.online.tests.logs import Log, ndjson


def _stored(online_dir: Path) -> dict[int, float]:
    out: dict[int, float] = {}
    for f in sorted((online_dir / "events").rglob("*.parquet")):
        t = pq.read_table(f)
        out.update(zip(t.column("event_id").to_pylist(), t.column("pos").to_pylist(), strict=True))
    return out


def test_a_changed_resend_is_reported_and_the_first_version_kept(online_dir: Path) -> None:
    log = Log().play(0, 300)
    services.ingest_bytes(data=ndjson(log.rows), name="a.ndjson", platform="P1")
    hb = [r for r in log.rows if r["kind"] == "hb"]
    first_pos = {r["event_id"]: r["pos"] for r in hb}
    hb[2]["pos"] += 100.0  # the platform re-sends two events with other content
    hb[4]["rate"] = 2.0
    again = services.ingest_bytes(data=ndjson(log.rows), name="a.ndjson", platform="P1")
    assert (again.stored, again.duplicates, again.changed) == (0, len(log.rows), 2)
    assert [(c.event_id, c.fields) for c in again.changed_events] == [
        (hb[2]["event_id"], ("pos",)),
        (hb[4]["event_id"], ("rate",)),
    ]
    assert _stored(online_dir)[hb[2]["event_id"]] == first_pos[hb[2]["event_id"]]
    record = config.store().batches("P1")[-1]
    assert (record.rows, record.received, record.changed) == (0, len(log.rows), 2)
    assert record.changed_event_ids == (hb[2]["event_id"], hb[4]["event_id"])


def test_an_unchanged_resend_is_a_duplicate_only(online_dir: Path) -> None:
    log = Log().play(0, 300)
    services.ingest_bytes(data=ndjson(log.rows), name="a.ndjson", platform="P1")
    again = services.ingest_bytes(data=ndjson(log.rows), name="a.ndjson", platform="P1")
    assert (again.duplicates, again.changed, again.changed_events) == (len(log.rows), 0, [])


def test_a_changed_repeat_within_one_batch(online_dir: Path) -> None:
    log = Log().play(0, 120)
    twin = {**log.rows[1], "learner": "L-other"}
    result = services.ingest_bytes(data=ndjson([*log.rows, twin]), name="a.ndjson", platform="P1")
    assert (result.duplicates, result.changed) == (1, 1)
    assert result.changed_events[0].fields == ("learner",)


def test_the_api_reports_it_to_the_platform(
    online_dir: Path, platform_token: Callable[[str], str]
) -> None:
    token = platform_token("P1")
    machine = ApiClient(headers={"Authorization": f"Bearer {token}"})
    machine.send_csrf = False
    log = Log().play(0, 300)
    url = "/api/v1/online/platforms/P1/events"
    assert machine.post(url, ndjson(log.rows), "application/x-ndjson").json()["changed"] == 0
    log.rows[0]["session"] = "S-other"
    body = machine.post(url, ndjson(log.rows), "application/x-ndjson").json()
    assert body["changed"] == 1
    assert body["changed_events"] == [{"event_id": log.rows[0]["event_id"], "fields": ["session"]}]
    batches = machine.get("/api/v1/online/platforms/P1/batches").json()
    assert [(b["rows"], b["changed"], b["changed_event_ids"]) for b in batches] == [
        (len(log.rows), 0, []),
        (0, 1, [log.rows[0]["event_id"]]),
    ]


def test_an_index_of_the_former_version_is_upgraded(online_dir: Path) -> None:
    """Batches stored before ids knew their batch are still compared after the upgrade."""
    import sqlite3

    log = Log().play(0, 300)
    services.ingest_bytes(data=ndjson(log.rows), name="a.ndjson", platform="P1")
    # the index as the former version wrote it: ids without their batch, no upload records
    from chizheng.online import store

    store._local.__dict__.pop("connections", None)
    path = online_dir / "index" / "P1.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    (batch,) = config.store().files("P1")
    ids = pq.read_table(batch, columns=["event_id"]).column("event_id").to_pylist()
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE ids (event_id INTEGER PRIMARY KEY) WITHOUT ROWID")
    con.execute("CREATE TABLE batches (name TEXT PRIMARY KEY, rows INTEGER)")
    con.executemany("INSERT INTO ids VALUES (?)", [(i,) for i in ids])
    con.execute("INSERT INTO batches VALUES (?, ?)", (str(batch.relative_to(online_dir)), len(ids)))
    con.commit()
    con.close()
    log.rows[3]["lesson"] = 9
    again = services.ingest_bytes(data=ndjson(log.rows), name="a.ndjson", platform="P1")
    assert again.changed == 1 and again.changed_events[0].fields == ("lesson",)
