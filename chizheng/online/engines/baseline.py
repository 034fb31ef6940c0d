"""The simple, correct baseline of the audit: the spec read straight into SQL.

Windows partitioned by the string keys, duplicates removed with ``row_number``, every
CTE as it comes. It is the reference the fast query (``duckdb_sql``) and the Spark engine
are compared with in the tests and the benchmark; see ``duckdb_sql`` for how each rule is
computed.
"""

from __future__ import annotations

SQL = """
WITH ev AS (
    SELECT platform, learner, session, course, lesson, epoch_ms(ts) AS t, event_id, kind,
           pos, rate, ok
    FROM events_raw
    {dedup}
),
hb AS (
    SELECT platform, event_id, learner, session, course, lesson, t, pos, rate,
           t - lag(t) OVER (PARTITION BY learner, session, course, lesson
                            ORDER BY t, event_id, platform) AS dt,
           coalesce(max(pos) OVER (PARTITION BY learner, course, lesson
                                   ORDER BY t, event_id, platform
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS reach
    FROM ev WHERE kind = 'hb'
),
hb_flag AS (
    SELECT platform, event_id, learner, session, course, lesson, t,
           (dt IS NULL OR dt > {gap_ms})::INTEGER AS new_seg,
           coalesce(rate > {max_rate}
                    OR pos > reach + {tolerance_s}
                             + (CASE WHEN dt IS NULL OR dt > {gap_ms} THEN 0
                                     ELSE dt / 1000.0 END) * {max_rate}, false) AS ff
    FROM hb
),
hb_seg AS (
    SELECT learner, session, course, lesson, t, ff,
           sum(new_seg) OVER (PARTITION BY learner, session, course, lesson
                              ORDER BY t, event_id, platform ROWS UNBOUNDED PRECEDING) AS seg
    FROM hb_flag
),
segs AS (
    SELECT learner, session, course, lesson, min(t) AS s, max(t) AS e, bool_or(ff) AS ff
    FROM hb_seg GROUP BY learner, session, course, lesson, seg
),
att AS (
    SELECT o.learner, o.session, o.course, o.lesson, g.s, g.e, o.t, o.kind, o.ok
    FROM (SELECT * FROM ev WHERE kind IN ('popup', 'photo')) o
    ASOF JOIN segs g
      ON o.learner = g.learner AND o.session = g.session AND o.course = g.course
     AND o.lesson = g.lesson AND o.t >= g.s
    WHERE o.t <= g.e
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
           count(DISTINCT (t - s) // {class_hour_ms}) AS windows
    FROM att
    WHERE kind = 'photo' AND (t - s) // {class_hour_ms} < (e - s) // {class_hour_ms}
    GROUP BY learner, session, course, lesson, s
),
faces AS (
    SELECT learner, session, t, coalesce(arg_max(ok, event_id), false) AS ok
    FROM ev WHERE kind = 'face' GROUP BY learner, session, t
),
bad_faces AS (
    SELECT learner, session, max(t) AS t FROM ev
    WHERE kind = 'face' AND NOT coalesce(ok, false) GROUP BY learner, session, t
),
face_start AS (
    SELECT g.learner, g.session, g.course, g.lesson, g.s, coalesce(f.ok, false) AS ok
    FROM segs g ASOF LEFT JOIN faces f
      ON g.learner = f.learner AND g.session = f.session AND f.t <= g.s + {face_grace_ms}
),
face_in AS (
    SELECT g.learner, g.session, g.course, g.lesson, g.s, coalesce(b.t >= g.s, false) AS bad
    FROM segs g ASOF LEFT JOIN bad_faces b
      ON g.learner = b.learner AND g.session = b.session AND b.t <= g.e
),
done AS (
    SELECT learner, course, lesson, min(t) AS d FROM ev
    WHERE kind = 'done' AND lesson >= 1 GROUP BY learner, course, lesson
),
done_prefix AS (
    SELECT learner, course, lesson,
           count(*) OVER w AS n, max(d) OVER w AS last_done
    FROM done
    WINDOW w AS (PARTITION BY learner, course ORDER BY lesson ROWS UNBOUNDED PRECEDING)
),
sess AS (
    SELECT learner, session, s, e,
           max(e) OVER (PARTITION BY learner, session ORDER BY s, e
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS pe
    FROM segs WHERE e > s
),
islands AS (
    SELECT learner, session, min(s) AS s, max(e) AS e
    FROM (SELECT *, sum((pe IS NULL OR s > pe)::INTEGER)
                        OVER (PARTITION BY learner, session ORDER BY s, e
                              ROWS UNBOUNDED PRECEDING) AS i FROM sess)
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
        SELECT learner, t AS ms, lead(t) OVER w AS me,
               sum(d) OVER (w ROWS UNBOUNDED PRECEDING) AS active
        FROM deltas WINDOW w AS (PARTITION BY learner ORDER BY t))
    WHERE active >= 2 AND me > ms
),
mw AS (
    SELECT g.learner, g.session, g.course, g.lesson, g.s,
           coalesce(g.e > g.s AND m.me > g.s, false) AS mw
    FROM segs g ASOF LEFT JOIN multi m ON g.learner = m.learner AND m.ms < g.e
)
SELECT g.learner, g.session, g.course, g.lesson,
       make_timestamp(g.s * 1000)::TIMESTAMPTZ AS "start",
       make_timestamp(g.e * 1000)::TIMESTAMPTZ AS "end",
       concat_ws(',',
           CASE WHEN NOT fs.ok OR fi.bad THEN 'FACE' END,
           CASE WHEN g.ff THEN 'FF' END,
           CASE WHEN mw.mw THEN 'MW' END,
           CASE WHEN (g.e - g.s) // {class_hour_ms} > coalesce(ph.windows, 0) THEN 'PHOTO' END,
           CASE WHEN pop.pop THEN 'POP' END,
           CASE WHEN g.lesson > 1 AND NOT coalesce(dp.n = g.lesson - 1 AND dp.last_done <= g.s,
                                                   false) THEN 'SEQ' END
       ) AS flags
FROM segs g
JOIN pop USING (learner, session, course, lesson, s)
JOIN face_start fs USING (learner, session, course, lesson, s)
JOIN face_in fi USING (learner, session, course, lesson, s)
JOIN mw USING (learner, session, course, lesson, s)
LEFT JOIN photo ph USING (learner, session, course, lesson, s)
LEFT JOIN done_prefix dp
  ON dp.learner = g.learner AND dp.course = g.course AND dp.lesson = g.lesson - 1
{order}
"""

DEDUP = "QUALIFY row_number() OVER (PARTITION BY platform, event_id ORDER BY _file, _ord) = 1"
