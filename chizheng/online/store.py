"""The event store: accepted batches as Parquet files, outside the transactional database.

Layout under the data directory::

    events/platform=<code>/received=<YYYY-MM-DD>/batch-<id>.parquet   one file per batch
    index/<code>.sqlite3                                              event ids seen, uploads

A batch is one file, written under a temporary name and renamed into place: readers
(the audit globs ``*.parquet``) see all of a batch or none of it. The id index is what
makes ingestion idempotent on ``(platform, event_id)``: under the index's write lock, ids
already stored are dropped from the batch, the file is renamed into place, and its ids and
name are committed. The file is the truth and the index a cache of it: a crash between
the rename and the commit is repaired at the next ingest of that platform, which indexes
any batch file the index does not list.

The index remembers which batch stored each id, so that a re-sent event is checked against
what was stored: the same content is a duplicate (ignored); a different content is reported
as *changed* — in the upload's result and in its record in ``batches`` — and not stored
(the first version stands; the spec keeps the first of an id). Every upload has a record,
also one that stored nothing new.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from chizheng.core.errors import ValidationError

from .schema import COLUMNS

_local = threading.local()
PLATFORM_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
# The columns an event's content is compared on when its id comes again.
PAYLOAD: tuple[str, ...] = tuple(c for c in COLUMNS if c not in ("event_id", "platform"))
MAX_CHANGED_LISTED = 1000
INDEX_VERSION = 2  # 2: ids know their batch; batches record every upload


@dataclass(frozen=True)
class Changed:
    """A re-sent event id whose content differs from the stored one (``fields`` differ)."""

    event_id: int
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Ingested:
    platform: str
    received: int  # rows in the batch
    stored: int  # new events stored
    duplicates: int  # rows already stored (or repeated within the batch), changed ones included
    file: Path | None
    changed: int = 0  # of the duplicates, those whose content differs from the stored one
    changed_events: list[Changed] = field(default_factory=list)  # the first of them


@dataclass(frozen=True)
class Batch:
    """The record of one upload (``None``: not recorded by uploads before index version 2)."""

    name: str
    rows: int  # events stored
    received: int | None = None
    duplicates: int | None = None
    changed: int | None = None
    changed_event_ids: tuple[int, ...] = ()


def check_platform(code: str) -> str:
    if not PLATFORM_RE.match(code or ""):
        raise ValidationError(
            f"平台代码无效：{code!r}（字母、数字、-、_，不超过 32 位）",
            message_en=f"invalid platform code {code!r}",
            code="online_bad_platform",
        )
    return code


class Store:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def platform_dir(self, platform: str) -> Path:
        return self.root / "events" / f"platform={check_platform(platform)}"

    def files(self, platform: str | None = None) -> list[Path]:
        base = self.platform_dir(platform) if platform else self.root / "events"
        if not base.exists():
            return []
        return sorted(p for p in base.rglob("*.parquet") if not p.name.startswith("."))

    def batches(self, platform: str) -> list[Batch]:
        path = self.root / "index" / f"{check_platform(platform)}.sqlite3"
        if not path.exists():
            return []
        rows = (
            self._index(platform)
            .execute(
                "SELECT name, rows, received, duplicates, changed, changed_ids FROM batches "
                "ORDER BY no"
            )
            .fetchall()
        )
        return [
            Batch(
                name=Path(n).name,
                rows=int(r),
                received=received,
                duplicates=duplicates,
                changed=changed,
                changed_event_ids=tuple(json.loads(ids)) if ids else (),
            )
            for n, r, received, duplicates, changed, ids in rows
        ]

    def _index(self, platform: str) -> sqlite3.Connection:
        """This thread's connection to the platform's id index (opened once, then reused)."""
        path = self.root / "index" / f"{check_platform(platform)}.sqlite3"
        cache: dict[Path, sqlite3.Connection] = _local.__dict__.setdefault("connections", {})
        con = cache.get(path)
        if con is not None and path.exists():
            return con
        path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(path, timeout=60, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        con.execute(
            "CREATE TABLE IF NOT EXISTS ids (event_id INTEGER PRIMARY KEY, batch INTEGER) "
            "WITHOUT ROWID"
        )
        con.execute(
            "CREATE TABLE IF NOT EXISTS batches (name TEXT PRIMARY KEY, rows INTEGER, "
            "no INTEGER, received INTEGER, duplicates INTEGER, changed INTEGER, "
            "changed_ids TEXT, at TEXT)"
        )
        if con.execute("PRAGMA user_version").fetchone()[0] < INDEX_VERSION:
            self._upgrade(con, platform)
        cache[path] = con
        return con

    def _upgrade(self, con: sqlite3.Connection, platform: str) -> None:
        """An index of version 1 (ids without their batch): number its batches and tell each
        stored id its batch, read from the batch files (once)."""
        con.execute("BEGIN IMMEDIATE")
        try:
            have = {r[1] for r in con.execute("PRAGMA table_info(ids)")}
            if "batch" not in have:
                con.execute("ALTER TABLE ids ADD COLUMN batch INTEGER")
            have = {r[1] for r in con.execute("PRAGMA table_info(batches)")}
            for column, kind in (
                ("no", "INTEGER"),
                ("received", "INTEGER"),
                ("duplicates", "INTEGER"),
                ("changed", "INTEGER"),
                ("changed_ids", "TEXT"),
                ("at", "TEXT"),
            ):
                if column not in have:
                    con.execute(f"ALTER TABLE batches ADD COLUMN {column} {kind}")
            con.execute("UPDATE batches SET no = rowid WHERE no IS NULL")
            con.execute("CREATE UNIQUE INDEX IF NOT EXISTS batches_no ON batches (no)")
            for name, no in con.execute(
                "SELECT name, no FROM batches WHERE rows > 0 ORDER BY no"
            ).fetchall():
                path = self.root / name
                if not path.exists():
                    continue
                ids = pq.read_table(path, columns=["event_id"]).column("event_id").to_pylist()
                con.execute(
                    "UPDATE ids SET batch = ? WHERE batch IS NULL "
                    "AND event_id IN (SELECT value FROM json_each(?))",
                    (no, json.dumps(ids)),
                )
            con.execute(f"PRAGMA user_version = {INDEX_VERSION}")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    def _repair(self, con: sqlite3.Connection, platform: str, now: dt.datetime) -> None:
        """Index batch files the index does not list (a crash after rename, before commit).

        Only today's and yesterday's directories are looked at, so that the cost does not
        grow with the store; ``repair_all`` looks everywhere.
        """
        today = now.astimezone(dt.UTC).date()
        days = [today, today - dt.timedelta(days=1)]
        base = self.platform_dir(platform)
        paths = [p for d in days for p in sorted((base / f"received={d}").glob("batch-*.parquet"))]
        self._index_files(con, paths)

    def repair_all(self, platform: str) -> None:
        con = self._index(platform)
        con.execute("BEGIN IMMEDIATE")
        try:
            self._index_files(con, self.files(platform))
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    @staticmethod
    def _next_no(con: sqlite3.Connection) -> int:
        return int(con.execute("SELECT COALESCE(MAX(no), 0) + 1 FROM batches").fetchone()[0])

    def _index_files(self, con: sqlite3.Connection, paths: list[Path]) -> None:
        if not paths:
            return
        names = [str(p.relative_to(self.root)) for p in paths]
        known = {
            r[0]
            for r in con.execute(
                "SELECT name FROM batches WHERE name IN (SELECT value FROM json_each(?))",
                (json.dumps(names),),
            )
        }
        for path, name in zip(paths, names, strict=True):
            if name in known:
                continue
            ids = pq.read_table(path, columns=["event_id"]).column("event_id").to_pylist()
            no = self._next_no(con)
            con.execute(
                "INSERT OR IGNORE INTO ids SELECT value, ? FROM json_each(?)",
                (no, json.dumps(ids)),
            )
            con.execute(
                "INSERT INTO batches (name, rows, no) VALUES (?, ?, ?)", (name, len(ids), no)
            )

    def ingest(self, table: pa.Table, *, platform: str, now: dt.datetime) -> Ingested:
        """Store the rows of ``table`` (already checked) not stored before; all or nothing.
        A re-sent id is compared with what was stored, and reported when it differs."""
        check_platform(platform)
        received = table.num_rows
        # within the batch, the first of repeated ids is kept; the others are compared to it
        table, repeats = _first_of_each(table)
        changed = _differences(repeats, table)
        con = self._index(platform)
        try:
            con.execute("BEGIN IMMEDIATE")  # one writer per platform at a time
            self._repair(con, platform, now)
            id_list = json.dumps(table.column("event_id").to_pylist())
            seen = con.execute(
                "SELECT event_id, batch FROM ids WHERE event_id IN (SELECT value FROM json_each(?))",
                (id_list,),
            ).fetchall()
            if seen:
                seen_ids = pa.array([r[0] for r in seen], pa.int64())
                again = table.filter(pc.is_in(table.column("event_id"), seen_ids))
                changed += _differences(again, self._stored(con, seen))
                table = table.filter(pc.invert(pc.is_in(table.column("event_id"), seen_ids)))
            changed.sort(key=lambda c: c.event_id)
            day = now.astimezone(dt.UTC).date().isoformat()
            stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
            target_dir = self.platform_dir(platform) / f"received={day}"
            no = self._next_no(con)
            path: Path | None = None
            if table.num_rows:
                target_dir.mkdir(parents=True, exist_ok=True)
                path = target_dir / f"batch-{stamp}-{secrets.token_hex(4)}.parquet"
                tmp = target_dir / f".{path.name}.tmp"
                try:
                    pq.write_table(table.sort_by([("event_id", "ascending")]), tmp)
                    with open(tmp, "rb") as fh:
                        os.fsync(fh.fileno())
                    os.replace(tmp, path)
                finally:
                    tmp.unlink(missing_ok=True)
                con.execute(
                    "INSERT OR IGNORE INTO ids SELECT value, ? FROM json_each(?)",
                    (no, json.dumps(table.column("event_id").to_pylist())),
                )
                name = str(path.relative_to(self.root))
            else:  # nothing new: the upload is still on record, with no file
                name = str(
                    (target_dir / f"upload-{stamp}-{secrets.token_hex(4)}").relative_to(self.root)
                )
            con.execute(
                "INSERT INTO batches (name, rows, no, received, duplicates, changed, "
                "changed_ids, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    name,
                    table.num_rows,
                    no,
                    received,
                    received - table.num_rows,
                    len(changed),
                    json.dumps([c.event_id for c in changed[:MAX_CHANGED_LISTED]]),
                    now.astimezone(dt.UTC).isoformat(),
                ),
            )
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        return Ingested(
            platform,
            received,
            table.num_rows,
            received - table.num_rows,
            path,
            changed=len(changed),
            changed_events=changed[:MAX_CHANGED_LISTED],
        )

    def _stored(self, con: sqlite3.Connection, seen: list[tuple[int, int | None]]) -> pa.Table:
        """The stored events of ``seen`` (id, batch number), read from their batch files."""
        by_batch: dict[int, list[int]] = {}
        for event_id, no in seen:
            if no is not None:
                by_batch.setdefault(no, []).append(event_id)
        if not by_batch:
            return pa.table({})
        names = dict(
            con.execute(
                "SELECT no, name FROM batches WHERE no IN (SELECT value FROM json_each(?))",
                (json.dumps(list(by_batch)),),
            ).fetchall()
        )
        parts = []
        for no, ids in by_batch.items():
            path = self.root / names[no] if no in names else None
            if path is None or not path.exists():
                continue
            parts.append(
                pq.read_table(path, filters=[("event_id", "in", ids)]).select(
                    ["event_id", *PAYLOAD]
                )
            )
        return pa.concat_tables(parts) if parts else pa.table({})


def _first_of_each(table: pa.Table) -> tuple[pa.Table, pa.Table]:
    """(rows whose event_id did not occur earlier in the batch, the later repeats)."""
    if table.num_rows == 0:
        return table, table
    indexed = table.append_column("_i", pa.array(range(table.num_rows), pa.int64()))
    firsts = indexed.group_by("event_id", use_threads=False).aggregate([("_i", "min")])
    if firsts.num_rows == table.num_rows:
        return table, table.slice(0, 0)
    keep = pc.is_in(indexed.column("_i"), firsts.column("_i_min"))
    return table.filter(keep), table.filter(pc.invert(keep))


def _differences(new: pa.Table, stored: pa.Table) -> list[Changed]:
    """The events of ``new`` whose content differs from the row of the same id in ``stored``
    (rows of ``new`` without one in ``stored`` are not compared)."""
    if new.num_rows == 0 or stored.num_rows == 0:
        return []
    left = new.select(["event_id", *PAYLOAD])
    right = stored.select(["event_id", *PAYLOAD]).rename_columns(
        ["event_id", *(f"{c}__stored" for c in PAYLOAD)]
    )
    joined = left.join(right, keys="event_id", join_type="inner", use_threads=False)
    differs: dict[str, pa.ChunkedArray] = {}
    for c in PAYLOAD:
        a, b = joined.column(c), joined.column(f"{c}__stored")
        same = pc.or_(pc.fill_null(pc.equal(a, b), False), pc.and_(pc.is_null(a), pc.is_null(b)))
        differs[c] = pc.invert(same)
    any_differs = differs[PAYLOAD[0]]
    for c in PAYLOAD[1:]:
        any_differs = pc.or_(any_differs, differs[c])
    rows = pc.indices_nonzero(any_differs).to_pylist()
    if not rows:
        return []
    ids = joined.column("event_id").to_pylist()
    flags = {c: differs[c].to_pylist() for c in PAYLOAD}
    return [Changed(ids[i], tuple(c for c in PAYLOAD if flags[c][i])) for i in rows]
