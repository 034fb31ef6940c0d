"""The event store: accepted batches as Parquet files, outside the transactional database.

Layout under the data directory::

    events/platform=<code>/received=<YYYY-MM-DD>/batch-<id>.parquet   one file per batch
    index/<code>.sqlite3                                              event ids seen

A batch is one file, written under a temporary name and renamed into place: readers
(the audit globs ``*.parquet``) see all of a batch or none of it. The id index is what
makes ingestion idempotent on ``(platform, event_id)``: under the index's write lock, ids
already stored are dropped from the batch, the file is renamed into place, and its ids and
name are committed. The file is the truth and the index a cache of it: a crash between
the rename and the commit is repaired at the next ingest of that platform, which indexes
any batch file the index does not list.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from chizheng.core.errors import ValidationError

_local = threading.local()
PLATFORM_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


@dataclass(frozen=True)
class Ingested:
    platform: str
    received: int  # rows in the batch
    stored: int  # new events stored
    duplicates: int  # rows already stored (or repeated within the batch)
    file: Path | None


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

    def batches(self, platform: str) -> list[tuple[str, int]]:
        path = self.root / "index" / f"{check_platform(platform)}.sqlite3"
        if not path.exists():
            return []
        rows = (
            self._index(platform).execute("SELECT name, rows FROM batches ORDER BY name").fetchall()
        )
        return [(Path(n).name, int(r)) for n, r in rows]

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
        con.execute("CREATE TABLE IF NOT EXISTS ids (event_id INTEGER PRIMARY KEY) WITHOUT ROWID")
        con.execute("CREATE TABLE IF NOT EXISTS batches (name TEXT PRIMARY KEY, rows INTEGER)")
        cache[path] = con
        return con

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
            con.execute(
                "INSERT OR IGNORE INTO ids SELECT value FROM json_each(?)", (json.dumps(ids),)
            )
            con.execute("INSERT INTO batches VALUES (?, ?)", (name, len(ids)))

    def ingest(self, table: pa.Table, *, platform: str, now: dt.datetime) -> Ingested:
        """Store the rows of ``table`` (already checked) not stored before; all or nothing."""
        check_platform(platform)
        received = table.num_rows
        # within the batch, the first of repeated ids is kept
        table = _first_of_each(table)
        con = self._index(platform)
        try:
            con.execute("BEGIN IMMEDIATE")  # one writer per platform at a time
            self._repair(con, platform, now)
            id_list = json.dumps(table.column("event_id").to_pylist())
            seen = [
                r[0]
                for r in con.execute(
                    "SELECT event_id FROM ids WHERE event_id IN (SELECT value FROM json_each(?))",
                    (id_list,),
                )
            ]
            if seen:
                keep = pc.invert(pc.is_in(table.column("event_id"), pa.array(seen, pa.int64())))
                table = table.filter(keep)
            path: Path | None = None
            if table.num_rows:
                day = now.astimezone(dt.UTC).date().isoformat()
                target_dir = self.platform_dir(platform) / f"received={day}"
                target_dir.mkdir(parents=True, exist_ok=True)
                stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
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
                    "INSERT OR IGNORE INTO ids SELECT value FROM json_each(?)",
                    (json.dumps(table.column("event_id").to_pylist()),),
                )
                con.execute(
                    "INSERT INTO batches VALUES (?, ?)",
                    (str(path.relative_to(self.root)), table.num_rows),
                )
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        return Ingested(platform, received, table.num_rows, received - table.num_rows, path)


def _first_of_each(table: pa.Table) -> pa.Table:
    """Rows whose event_id did not occur earlier in the batch."""
    if table.num_rows == 0:
        return table
    indexed = table.append_column("_i", pa.array(range(table.num_rows), pa.int64()))
    firsts = indexed.group_by("event_id", use_threads=False).aggregate([("_i", "min")])
    if firsts.num_rows == table.num_rows:
        return table
    keep = pc.is_in(indexed.column("_i"), firsts.column("_i_min"))
    return table.filter(keep)
