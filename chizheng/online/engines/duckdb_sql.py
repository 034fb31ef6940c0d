"""The audit of spec/online-learning-audit.md as one set-based DuckDB query.

Input: a relation ``events_raw`` with the event columns and ``_file``, ``_ord`` columns (input
order, used only to keep the first of duplicate ``(platform, event_id)`` rows). Times are
compared as integer epoch milliseconds, so the boundaries (60 s vs 61 s …) are exact.

How each rule is computed, without a loop per event:

- segments: window over (learner, session, course, lesson) by (ts, event_id); a gap
  above ``segment_gap`` starts a new segment (running sum of the "new" marks).
- FF: per heartbeat, ``reach`` is the running max of ``pos`` over the earlier heartbeats
  of the attempt (learner, course, lesson; any session), excluding the current row.
- POP / PHOTO: popups and photos are attached to their segment by an ASOF join on the
  segment key and ``start <= ts`` (segments of one key are disjoint), then ``ts <= end``.
- FACE: ASOF join to the latest face of the (learner, session) at ``start + grace``
  (ties at one ts resolved by the largest event_id), and to the latest failed face at
  ``end``, which falls inside the segment when its ts >= start.
- SEQ: per (learner, course), a running count and running max over the first ``done``
  of each lesson; lesson k is in order when lessons 1..k-1 are all done by ``start``.
- MW: each session's segments are merged into islands; a sweep (running sum of +1/-1 at
  island ends) gives the intervals where two or more sessions of the learner are active;
  a segment of positive length is flagged when it meets one of those intervals for a
  positive time (ASOF join on the latest such interval starting before its end).
"""

from __future__ import annotations

SQL = """
WITH {dedup}
ev AS NOT MATERIALIZED (
    SELECT platform, learner, session, course, lesson, epoch_ms(ts) AS t, event_id, kind,
           pos, rate, ok
    FROM {events}
),
hb AS NOT MATERIALIZED (
    SELECT hash(learner, session, course, lesson) AS k, learner, session, course, lesson,
           t, event_id, platform, pos, rate
    FROM ev WHERE kind = 'hb'
),
marks AS MATERIALIZED (
    SELECT k, t, event_id, platform, pos, dt,
           dt IS NULL OR dt > {gap_ms} AS is_start,
           dn IS NULL OR dn > {gap_ms} AS is_end,
           fast,
           coalesce(pos > coalesce(prev_pos, 0) + {tolerance_s}
                          + (CASE WHEN dt IS NULL OR dt > {gap_ms} THEN 0
                                  ELSE dt / 1000.0 END) * {max_rate}, false) AS ahead,
           mixed
    FROM (
        SELECT k, t, event_id, platform, pos, fast,
               t - lag(t) OVER w AS dt,
               lead(t) OVER w - t AS dn,
               lag(pos) OVER w AS prev_pos,
               coalesce(lag(k2) OVER w <> k2, false) AS mixed
        FROM (SELECT k, hash(lesson, course, session, learner) AS k2, t, event_id, platform,
                     pos, coalesce(rate > {max_rate}, false) AS fast FROM hb)
        WINDOW w AS (PARTITION BY k ORDER BY t, event_id, platform)
    )
    WHERE dt IS NULL OR dt > {gap_ms} OR dn IS NULL OR dn > {gap_ms} OR mixed OR fast
       OR coalesce(pos > coalesce(prev_pos, 0) + {tolerance_s}
                         + (CASE WHEN dt IS NULL OR dt > {gap_ms} THEN 0
                                 ELSE dt / 1000.0 END) * {max_rate}, false)
),
ahead_rows AS MATERIALIZED (
    SELECT DISTINCT h.learner, h.session, h.course, h.lesson, h.t, h.event_id, h.platform
    FROM hb h SEMI JOIN (SELECT k, t, event_id, platform FROM marks WHERE ahead AND NOT fast) m
      ON h.k = m.k AND h.t = m.t AND h.event_id = m.event_id AND h.platform = m.platform
),
ahead_exact AS (
    -- "ahead" compares with the previous heartbeat of the session only: a superset of
    -- FF by position (reach >= that position). For the few attempts with such a
    -- heartbeat, reach is computed exactly over all sessions, as the spec says.
    SELECT learner, session, course, lesson, t, event_id, platform, reach
    FROM (
        SELECT learner, session, course, lesson, t, event_id, platform,
               coalesce(max(pos) OVER (PARTITION BY learner, course, lesson
                                       ORDER BY t, event_id, platform
                                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
                   AS reach
        FROM hb SEMI JOIN (SELECT DISTINCT learner, course, lesson FROM ahead_rows) a
          USING (learner, course, lesson)
    ) SEMI JOIN ahead_rows USING (learner, session, course, lesson, t, event_id, platform)
),
seg_marks AS (
    SELECT m.*, max(CASE WHEN is_start THEN t END)
                    OVER (PARTITION BY k ORDER BY t, event_id, platform
                          ROWS UNBOUNDED PRECEDING) AS s
    FROM marks m
),
segs_k AS (
    SELECT m.k, m.s, max(m.t) AS e,
           bool_or(m.fast OR (m.ahead AND m.pos > coalesce(x.reach, -1e308) + {tolerance_s}
                   + (CASE WHEN m.is_start THEN 0 ELSE m.dt / 1000.0 END) * {max_rate})) AS ff
    FROM seg_marks m
    LEFT JOIN (SELECT hash(learner, session, course, lesson) AS k, t, event_id, platform, reach
               FROM ahead_exact) x
      ON m.ahead AND x.k = m.k AND x.t = m.t AND x.event_id = m.event_id
     AND x.platform = m.platform
    GROUP BY m.k, m.s
),
segs AS MATERIALIZED (
    -- the keys' strings, from the segment's first heartbeat
    SELECT DISTINCT g.k, h.learner, h.session, h.course, h.lesson, g.s, g.e, g.ff
    FROM segs_k g JOIN hb h ON h.k = g.k AND h.t = g.s
),
collisions AS (
    SELECT (SELECT count(*) FROM marks WHERE mixed)
           + (SELECT count(*) - count(DISTINCT (k, s)) FROM segs) AS n
),
att AS (
    SELECT g.k, g.s, g.e, o.t, o.kind, o.ok
    FROM (SELECT hash(learner, session, course, lesson) AS k, learner, session, course, lesson,
                 t, kind, ok
          FROM ev WHERE kind IN ('popup', 'photo')) o
    ASOF JOIN segs g ON o.k = g.k AND o.t >= g.s
    WHERE o.t <= g.e AND o.learner = g.learner AND o.session = g.session
      AND o.course = g.course AND o.lesson = g.lesson
),
pop_pts AS (
    SELECT k, s, t FROM att WHERE kind = 'popup' AND ok
    UNION ALL SELECT k, s, s FROM segs
    UNION ALL SELECT k, s, e FROM segs
),
pop AS (
    SELECT k, s, max(t - pt) > {popup_gap_ms} AS pop
    FROM (SELECT *, lag(t) OVER (PARTITION BY k, s ORDER BY t) AS pt FROM pop_pts)
    GROUP BY k, s
),
photo AS (
    SELECT k, s, count(DISTINCT (t - s) // {class_hour_ms}) AS windows
    FROM att
    WHERE kind = 'photo' AND (t - s) // {class_hour_ms} < (e - s) // {class_hour_ms}
    GROUP BY k, s
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
    SELECT g.k, g.s, coalesce(f.ok, false) AS ok
    FROM segs g ASOF LEFT JOIN faces f
      ON g.learner = f.learner AND g.session = f.session AND f.t <= g.s + {face_grace_ms}
),
face_in AS (
    SELECT g.k, g.s, coalesce(b.t >= g.s, false) AS bad
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
    SELECT g.k, g.s, coalesce(g.e > g.s AND m.me > g.s, false) AS mw
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
       ) AS flags,
       collisions.n AS collisions
FROM segs g
CROSS JOIN collisions
JOIN pop USING (k, s)
JOIN face_start fs USING (k, s)
JOIN face_in fi USING (k, s)
JOIN mw USING (k, s)
LEFT JOIN photo ph USING (k, s)
LEFT JOIN done_prefix dp
  ON dp.learner = g.learner AND dp.course = g.course AND dp.lesson = g.lesson - 1
{order}
"""

# Duplicates are few: find the repeated (platform, event_id) once (one hash aggregate),
# keep the first row of each, and let every other row through untouched, instead of
# numbering all rows in a window.
DEDUP = """
dup_keys AS MATERIALIZED (
    SELECT platform, event_id FROM events_raw GROUP BY platform, event_id HAVING count(*) > 1
),
winners AS MATERIALIZED (
    SELECT * FROM events_raw SEMI JOIN dup_keys USING (platform, event_id)
    QUALIFY row_number() OVER (PARTITION BY platform, event_id ORDER BY _file, _ord) = 1
),
events_dedup AS NOT MATERIALIZED (
    SELECT * FROM events_raw ANTI JOIN dup_keys USING (platform, event_id)
    UNION ALL SELECT * FROM winners
),"""
ORDER = 'ORDER BY learner, session, course, lesson, "start"'
