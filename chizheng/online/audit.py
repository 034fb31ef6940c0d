"""Running the audit: sources in, one row per segment out (spec "What the audit returns").

Pure (no Django): the engines take events from Parquet files or an Arrow table, and the
parameters in force on one date (see ``parameters``). Of duplicate ``(platform,
event_id)`` rows the first in input order is kept (files in name order, rows in file
order); the store never holds duplicates.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, TypeAlias

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from chizheng.core.errors import ValidationError

from . import parameters
from .engines import baseline, duckdb_sql
from .schema import COLUMNS, RESULT_SCHEMA

Engine = Literal["duckdb", "duckdb-baseline", "spark"]
Source: TypeAlias = pa.Table | Sequence[Path | str]


def connect(
    *, threads: int | None = None, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")
    threads = threads or int(os.environ.get("CHIZHENG_ONLINE_THREADS", "0") or 0)
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    limit = memory_limit or os.environ.get("CHIZHENG_ONLINE_MEMORY_LIMIT", "")
    if limit:
        con.execute("SET memory_limit = ?", [limit])
    con.execute("SET preserve_insertion_order = false")
    return con


def register(con: duckdb.DuckDBPyConnection, source: Source) -> None:
    """Expose ``source`` as the relation ``events_raw`` (event columns, ``_file``, ``_ord``)."""
    cols = ", ".join(COLUMNS)
    if isinstance(source, pa.Table):
        missing = [c for c in COLUMNS if c not in source.column_names]
        if missing:
            raise ValidationError(
                f"事件数据缺少列：{'、'.join(missing)}",
                message_en=f"missing columns {missing}",
                code="online_bad_columns",
                detail={"missing": missing},
            )
        table = source.select(list(COLUMNS)).append_column(
            "_ord", pa.array(range(source.num_rows), type=pa.int64())
        )
        con.register("events_arrow", table)
        con.execute(
            f"CREATE OR REPLACE VIEW events_raw AS SELECT {cols}, '' AS _file, _ord FROM events_arrow"  # noqa: S608 (column names are constants)
        )
        return
    files = [str(p) for p in source]
    if not files:
        raise ValidationError(
            "没有要审计的事件文件", message_en="no event files", code="online_no_events"
        )
    listing = ", ".join(_quote(f) for f in files)
    # file names are quoted by _quote; a view cannot take prepared parameters
    sql = (
        f"CREATE OR REPLACE VIEW events_raw AS SELECT {cols}, filename AS _file, "  # noqa: S608
        f"file_row_number AS _ord FROM read_parquet([{listing}], filename = true, "
        "file_row_number = true)"
    )
    con.execute(sql)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def data_span(con: duckdb.DuckDBPyConnection) -> tuple[dt.date, dt.date] | None:
    rows = con.sql("SELECT min(ts), max(ts) FROM events_raw").fetchall()
    row = rows[0] if rows else None
    if row is None or row[0] is None:
        return None
    return row[0].astimezone(dt.UTC).date(), row[1].astimezone(dt.UTC).date()


def resolve_params(
    con: duckdb.DuckDBPyConnection, at: dt.date | None
) -> parameters.AuditParams | None:
    if at is not None:
        return parameters.at(at)
    span = data_span(con)
    if span is None:
        return None
    return parameters.for_span(*span)


def render(sql: str, p: parameters.AuditParams, *, dedup: bool = True, order: bool = True) -> str:
    """The query with the parameters in place (integers and a float, from the policy)."""
    fast = sql is duckdb_sql.SQL
    if fast:
        dedup_sql, events = (duckdb_sql.DEDUP, "events_dedup") if dedup else ("", "events_raw")
    else:
        dedup_sql, events = (baseline.DEDUP if dedup else ""), "events_raw"
    return sql.format(
        dedup=dedup_sql,
        events=events,
        ev_materialized="MATERIALIZED" if dedup else "NOT MATERIALIZED",
        order=duckdb_sql.ORDER if order else "",
        gap_ms=p.segment_gap_ms,
        max_rate=repr(float(p.max_rate)),
        tolerance_s=p.tolerance_s,
        popup_gap_ms=p.popup_max_gap_ms,
        face_grace_ms=p.face_grace_ms,
        class_hour_ms=p.class_hour_ms,
    )


def audit(
    source: Source,
    *,
    at: dt.date | None = None,
    engine: Engine = "duckdb",
    threads: int | None = None,
    memory_limit: str | None = None,
    unique: bool = False,
) -> pa.Table:
    """One row per segment: learner, session, course, lesson, start, end, flags.

    ``unique``: the source is known to hold no duplicate ``(platform, event_id)`` (the
    store, which ingestion keeps so), and the de-duplication pass is skipped.
    """
    con = connect(threads=threads, memory_limit=memory_limit)
    try:
        try:
            register(con, source)
            p = resolve_params(con, at)
        except duckdb.Error as e:
            raise ValidationError(
                f"事件文件无法读取，或列与事件格式不符：{e}",
                message_en=f"unreadable event files or wrong columns: {e}",
                code="online_bad_file",
            ) from e
        if p is None:
            return RESULT_SCHEMA.empty_table()
        if engine == "spark":
            from .engines import spark

            return spark.audit_source(source, p)
        if engine == "duckdb":
            result = con.sql(render(duckdb_sql.SQL, p, dedup=not unique)).to_arrow_table()
            if not result.num_rows or not pc.max(result["collisions"]).as_py():
                return result.drop_columns(["collisions"]).cast(RESULT_SCHEMA)
            # two segment keys share a 64-bit hash: fall back to the string-keyed query
        result = con.sql(render(baseline.SQL, p, dedup=not unique)).to_arrow_table()
        return result.cast(RESULT_SCHEMA)
    finally:
        con.close()


def audit_to_parquet(
    source: Source,
    out: Path,
    *,
    at: dt.date | None = None,
    engine: Engine = "duckdb",
    unique: bool = False,
) -> int:
    """Write the audit result to ``out`` (atomically); returns the number of segments."""
    import pyarrow.parquet as pq

    table = audit(source, at=at, engine=engine, unique=unique)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    pq.write_table(table, tmp)
    os.replace(tmp, out)
    return table.num_rows
