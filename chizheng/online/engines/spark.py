"""The audit on Apache Spark (PySpark, local mode here; a cluster for larger logs).

The same rules as ``baseline`` (the reference), in Spark SQL: Spark has no ASOF join, so
"the segment containing an event", "the latest face by start + grace" and "meets a
multi-session interval" are range joins on the segment key, then an aggregate. Times are
integer epoch milliseconds and the position arithmetic is in doubles in the same order
as the DuckDB queries, so both engines give identical results.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .. import parameters
from ..schema import RESULT_SCHEMA

SQL = """
WITH ev AS (
    SELECT platform, learner, session, course, lesson, unix_millis(ts) AS t, event_id, kind,
           pos, rate, ok
    FROM (SELECT *, row_number() OVER (PARTITION BY platform, event_id
                                       ORDER BY _file, _ord) AS _n FROM events_raw)
    WHERE _n = 1
),
hb AS (
    SELECT platform, event_id, learner, session, course, lesson, t, pos, rate,
           t - lag(t) OVER (PARTITION BY learner, session, course, lesson
                            ORDER BY t, event_id, platform) AS dt,
           coalesce(max(pos) OVER (PARTITION BY learner, course, lesson
                                   ORDER BY t, event_id, platform
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0D) AS reach
    FROM ev WHERE kind = 'hb'
),
hb_flag AS (
    SELECT platform, event_id, learner, session, course, lesson, t,
           CAST(dt IS NULL OR dt > {gap_ms} AS INT) AS new_seg,
           coalesce(rate > {max_rate}D
                    OR pos > reach + {tolerance_s}
                             + (CASE WHEN dt IS NULL OR dt > {gap_ms} THEN 0D
                                     ELSE CAST(dt AS DOUBLE) / 1000.0D END) * {max_rate}D,
                    false) AS ff
    FROM hb
),
hb_seg AS (
    SELECT learner, session, course, lesson, t, ff,
           sum(new_seg) OVER (PARTITION BY learner, session, course, lesson
                              ORDER BY t, event_id, platform
                              ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS seg
    FROM hb_flag
),
segs AS (
    SELECT learner, session, course, lesson, min(t) AS s, max(t) AS e, bool_or(ff) AS ff
    FROM hb_seg GROUP BY learner, session, course, lesson, seg
),
att AS (
    SELECT g.learner, g.session, g.course, g.lesson, g.s, g.e, o.t, o.kind, o.ok
    FROM (SELECT * FROM ev WHERE kind IN ('popup', 'photo')) o
    JOIN segs g
      ON o.learner = g.learner AND o.session = g.session AND o.course = g.course
     AND o.lesson = g.lesson AND o.t >= g.s AND o.t <= g.e
),
pop_pts AS (
    SELECT learner, session, course, lesson, s, t FROM att WHERE kind = 'popup' AND ok
    UNION ALL SELECT learner, session, course, lesson, s, s FROM segs
    UNION ALL SELECT learner, session, course, lesson, s, e FROM segs
),
pop AS (
    SELECT learner, session, course, lesson, s, max(t - pt) > {popup_gap_ms} AS pop
    FROM (SELECT *, lag(t) OVER (PARTITION BY learner, session, course, lesson, s
                                 ORDER BY t) AS pt FROM pop_pts)
    GROUP BY learner, session, course, lesson, s
),
photo AS (
    SELECT learner, session, course, lesson, s,
           count(DISTINCT (t - s) div {class_hour_ms}) AS windows
    FROM att
    WHERE kind = 'photo' AND (t - s) div {class_hour_ms} < (e - s) div {class_hour_ms}
    GROUP BY learner, session, course, lesson, s
),
faces AS (
    SELECT learner, session, t, coalesce(max_by(ok, event_id), false) AS ok
    FROM ev WHERE kind = 'face' GROUP BY learner, session, t
),
face_start AS (
    SELECT g.learner, g.session, g.course, g.lesson, g.s,
           coalesce(max_by(f.ok, f.t), false) AS ok
    FROM segs g LEFT JOIN faces f
      ON g.learner = f.learner AND g.session = f.session AND f.t <= g.s + {face_grace_ms}
    GROUP BY g.learner, g.session, g.course, g.lesson, g.s
),
bad_faces AS (
    SELECT learner, session, t FROM ev WHERE kind = 'face' AND NOT coalesce(ok, false)
),
face_in AS (
    SELECT g.learner, g.session, g.course, g.lesson, g.s, count(b.t) > 0 AS bad
    FROM segs g LEFT JOIN bad_faces b
      ON g.learner = b.learner AND g.session = b.session AND b.t >= g.s AND b.t <= g.e
    GROUP BY g.learner, g.session, g.course, g.lesson, g.s
),
done AS (
    SELECT learner, course, lesson, min(t) AS d FROM ev
    WHERE kind = 'done' AND lesson >= 1 GROUP BY learner, course, lesson
),
done_prefix AS (
    SELECT learner, course, lesson,
           count(*) OVER w AS n, max(d) OVER w AS last_done
    FROM done
    WINDOW w AS (PARTITION BY learner, course ORDER BY lesson
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
sess AS (
    SELECT learner, session, s, e,
           max(e) OVER (PARTITION BY learner, session ORDER BY s, e
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS pe
    FROM segs WHERE e > s
),
islands AS (
    SELECT learner, session, min(s) AS s, max(e) AS e
    FROM (SELECT *, sum(CAST(pe IS NULL OR s > pe AS INT))
                        OVER (PARTITION BY learner, session ORDER BY s, e
                              ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS i
          FROM sess)
    GROUP BY learner, session, i
),
deltas AS (
    SELECT learner, t, sum(d) AS d
    FROM (SELECT learner, s AS t, 1 AS d FROM islands
          UNION ALL SELECT learner, e AS t, -1 AS d FROM islands)
    GROUP BY learner, t
),
multi AS (
    SELECT learner, ms, me FROM (
        SELECT learner, t AS ms, lead(t) OVER (PARTITION BY learner ORDER BY t) AS me,
               sum(d) OVER (PARTITION BY learner ORDER BY t
                            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS active
        FROM deltas)
    WHERE active >= 2 AND me > ms
),
mw AS (
    SELECT g.learner, g.session, g.course, g.lesson, g.s,
           count(m.ms) > 0 AND g.e > g.s AS mw
    FROM segs g LEFT JOIN multi m ON g.learner = m.learner AND m.ms < g.e AND m.me > g.s
    GROUP BY g.learner, g.session, g.course, g.lesson, g.s, g.e
)
SELECT g.learner, g.session, g.course, CAST(g.lesson AS INT) AS lesson,
       timestamp_millis(g.s) AS `start`, timestamp_millis(g.e) AS `end`,
       concat_ws(',',
           CASE WHEN NOT fs.ok OR fi.bad THEN 'FACE' END,
           CASE WHEN g.ff THEN 'FF' END,
           CASE WHEN mw.mw THEN 'MW' END,
           CASE WHEN (g.e - g.s) div {class_hour_ms} > coalesce(ph.windows, 0) THEN 'PHOTO' END,
           CASE WHEN pop.pop THEN 'POP' END,
           CASE WHEN g.lesson > 1 AND NOT coalesce(dp.n = g.lesson - 1 AND dp.last_done <= g.s,
                                                   false) THEN 'SEQ' END
       ) AS flags
FROM segs g
JOIN pop ON pop.learner = g.learner AND pop.session = g.session AND pop.course = g.course
        AND pop.lesson = g.lesson AND pop.s = g.s
JOIN face_start fs ON fs.learner = g.learner AND fs.session = g.session
        AND fs.course = g.course AND fs.lesson = g.lesson AND fs.s = g.s
JOIN face_in fi ON fi.learner = g.learner AND fi.session = g.session AND fi.course = g.course
        AND fi.lesson = g.lesson AND fi.s = g.s
JOIN mw ON mw.learner = g.learner AND mw.session = g.session AND mw.course = g.course
        AND mw.lesson = g.lesson AND mw.s = g.s
LEFT JOIN photo ph ON ph.learner = g.learner AND ph.session = g.session
        AND ph.course = g.course AND ph.lesson = g.lesson AND ph.s = g.s
LEFT JOIN done_prefix dp
  ON dp.learner = g.learner AND dp.course = g.course AND dp.lesson = g.lesson - 1
"""

_session: Any = None


def session() -> Any:
    """One local Spark session per process (``CHIZHENG_SPARK_MASTER``, default local[2])."""
    global _session
    if _session is None:
        from pyspark.sql import SparkSession

        # py4j logs "closing down" from finalizers at exit, after streams are closed
        logging.getLogger("py4j").setLevel(logging.WARNING)

        _session = (
            SparkSession.builder.master(os.environ.get("CHIZHENG_SPARK_MASTER", "local[2]"))
            .appName("chizheng-online-audit")
            .config("spark.sql.session.timeZone", "UTC")
            .config(
                "spark.sql.shuffle.partitions", os.environ.get("CHIZHENG_SPARK_PARTITIONS", "4")
            )
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.ansi.enabled", "false")
            .getOrCreate()
        )
        _session.sparkContext.setLogLevel("ERROR")
    return _session


def render(p: parameters.AuditParams) -> str:
    return SQL.format(
        gap_ms=p.segment_gap_ms,
        max_rate=repr(float(p.max_rate)),
        tolerance_s=p.tolerance_s,
        popup_gap_ms=p.popup_max_gap_ms,
        face_grace_ms=p.face_grace_ms,
        class_hour_ms=p.class_hour_ms,
    )


def audit(files: list[str], p: parameters.AuditParams) -> pa.Table:
    spark = session()
    raw = spark.read.parquet(*files)
    raw = raw.selectExpr("*", "_metadata.file_path AS _file", "_metadata.row_index AS _ord")
    raw.createOrReplaceTempView("events_raw")
    result = spark.sql(render(p)).orderBy("learner", "session", "course", "lesson", "start")
    table = result.toArrow()
    return table.cast(RESULT_SCHEMA)


def audit_source(source: Any, p: parameters.AuditParams) -> pa.Table:
    """``source``: Parquet paths, or an Arrow table (written to a temporary file first)."""
    if isinstance(source, pa.Table):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "events.parquet"
            pq.write_table(source, path)
            return audit([str(path)], p)
    return audit([str(f) for f in source], p)
