"""Realistic event logs with violations of each rule planted at known places.

Vectorised with NumPy (no loop per event), written in chunks of learners so memory stays
flat at tens of millions of events. Each learner takes courses lesson by lesson, one
segment per lesson in a fresh session, in time order with pauses between. A valid
segment has heartbeats every 30 s (±5 s) with the video advancing in real time, answered
popups every 240 s (±20 s), a passed face check just before its start, one photo in each
full class hour and a ``done`` just after its end. Planted violations, one rule per
chosen segment:

- FF: one heartbeat in the middle reports rate 1.5;
- POP: every popup of the segment goes unanswered (segments last 10 min or more);
- FACE: the face check before the start fails;
- PHOTO: the photos are dropped (only segments with a full class hour are chosen);
- SEQ: the lesson's ``done`` is missing, so every later lesson of the course is SEQ;
- MW: a short segment in another session (course ``CMW``) inside this one: both MW.

A small share of rows is sent twice (duplicates). The expected result is written beside
the events as ``expected.parquet`` with the audit's columns.

The constants here describe the simulated learners (how long they watch, how often a
platform pings), not policy; they are chosen inside the 2022 parameters so that
un-planted segments are valid, and ``generate`` checks that against the policy.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from chizheng.core.errors import ConfigurationError

from . import parameters
from .schema import EVENT_SCHEMA, RESULT_SCHEMA, RULES

HB_MS = 30_000
HB_JITTER_MS = 5_000
POPUP_MS = 240_000
POPUP_JITTER_MS = 20_000
FACE_BEFORE_MS = 30_000
MIN_SEG_HB, MAX_SEG_HB = 21, 200  # 10 to 100 minutes
PAUSE_MS = (120_000, 3_600_000)
COURSES_PER_LEARNER = 2
LESSONS_PER_COURSE = 8
MW_HB = 8
FAST_RATE = 1.5
EVENTS_PER_LEARNER = 2000  # rough, to size chunks
EPOCH = dt.datetime(2022, 3, 1, tzinfo=dt.UTC)
SPREAD_DAYS = 200

RULE_BIT = {code: 1 << i for i, code in enumerate(RULES)}


@dataclass(frozen=True)
class Generated:
    events: int
    segments: int
    files: list[Path]
    expected: Path
    planted: dict[str, int]


def _check_policy(p: parameters.AuditParams) -> None:
    """The simulated habits stay within the policy, so un-planted segments are valid."""
    checks = {
        "heartbeat gap": p.segment_gap_ms >= HB_MS + 2 * HB_JITTER_MS,
        "popup gap": p.popup_max_gap_ms >= POPUP_MS + 2 * POPUP_JITTER_MS,
        "face grace": p.face_grace_ms >= FACE_BEFORE_MS,
        "POP plants show": p.popup_max_gap_ms < MIN_SEG_HB * (HB_MS - HB_JITTER_MS),
        "MW inside target": MW_HB * (HB_MS + HB_JITTER_MS) + 60_000
        < MIN_SEG_HB * (HB_MS - HB_JITTER_MS),
        "FF plants show": float(p.max_rate) < FAST_RATE,
    }
    broken = [name for name, ok in checks.items() if not ok]
    if broken:
        raise ConfigurationError(
            f"测试日志生成器的设定与政策参数不符：{'、'.join(broken)}",
            message_en=f"generator settings do not fit the policy: {broken}",
        )


def _ranges(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For groups of sizes ``counts``: (group index, index within group) per element."""
    group = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    within = np.arange(int(counts.sum())) - np.repeat(starts, counts)
    return group, within


def _strings(prefix: str, ids: np.ndarray, width: int) -> pa.Array:
    uniq, inv = np.unique(ids, return_inverse=True)
    dictionary = pa.array([f"{prefix}{i:0{width}d}" for i in uniq], type=pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(inv.astype(np.int32)), dictionary).cast(
        pa.string()
    )


def _chunk(
    rng: np.random.Generator,
    first_learner: int,
    n_learners: int,
    rate: float,
    duplicates: float,
    class_hour_ms: int,
    event_id0: int,
    mw_session0: int,
) -> tuple[pa.Table, pa.Table, dict[str, int]]:
    per = COURSES_PER_LEARNER * LESSONS_PER_COURSE
    n = n_learners * per
    learner = np.repeat(np.arange(first_learner, first_learner + n_learners), per)
    slot = np.tile(np.arange(per), n_learners)
    course = (learner * 7 + slot // LESSONS_PER_COURSE) % 40
    lesson = (slot % LESSONS_PER_COURSE + 1).astype(np.int32)
    n_hb = rng.integers(MIN_SEG_HB, MAX_SEG_HB + 1, n)
    dur = (n_hb - 1) * HB_MS  # nominal; the last beat carries jitter too
    pause = rng.integers(*PAUSE_MS, n)
    learner_t0 = (
        EPOCH.timestamp() * 1000 + rng.integers(0, SPREAD_DAYS * 86_400_000, n_learners)
    ).astype(np.int64)
    step = dur + HB_JITTER_MS + FACE_BEFORE_MS + pause + 20_000
    offs = (np.cumsum(step) - step).reshape(n_learners, per)
    offs = offs - offs[:, :1]
    start = (np.repeat(learner_t0, per) + offs.ravel()).astype(np.int64)
    session = np.arange(n) + first_learner * per

    # plant
    planted = np.where(rng.random(n) < rate, rng.integers(0, len(RULES), n), -1)
    full = (dur - HB_JITTER_MS) // class_hour_ms
    photo_code = RULES.index("PHOTO")
    planted[(planted == photo_code) & (full < 1)] = -1
    bits = np.zeros(n, dtype=np.int64)
    for r, code in enumerate(RULES):
        if code != "SEQ":
            bits[planted == r] |= RULE_BIT[code]
    # SEQ: a missing done flags every later lesson of the course
    missing = planted == RULES.index("SEQ")
    grp = learner * COURSES_PER_LEARNER + slot // LESSONS_PER_COURSE
    cum = np.cumsum(missing)
    grp_start = np.r_[0, np.flatnonzero(np.diff(grp)) + 1]
    base = np.repeat(cum[grp_start] - missing[grp_start], np.diff(np.r_[grp_start, n]))
    before = cum - missing - base
    bits[before > 0] |= RULE_BIT["SEQ"]

    # MW extra segments, appended as segments of their own
    mw_idx = np.flatnonzero(planted == RULES.index("MW"))
    m = len(mw_idx)
    seg_learner = np.r_[learner, learner[mw_idx]]
    seg_course = np.r_[course, np.full(m, -1)]
    seg_lesson = np.r_[lesson, np.ones(m, dtype=np.int32)]
    seg_start = np.r_[start, start[mw_idx] + 60_000]
    seg_hb = np.r_[n_hb, np.full(m, MW_HB)]
    seg_session = np.r_[session, mw_session0 + np.arange(m)]
    seg_bits = np.r_[bits, np.full(m, RULE_BIT["MW"])]
    seg_planted = np.r_[planted, np.full(m, -1)]
    seg_extra = np.r_[np.zeros(n, bool), np.ones(m, bool)]
    ns = n + m

    # heartbeats
    g, i = _ranges(seg_hb)
    jit = rng.integers(-HB_JITTER_MS, HB_JITTER_MS + 1, len(g))
    jit[i == 0] = 0
    hb_t = seg_start[g] + i * HB_MS + jit
    hb_pos = (hb_t - seg_start[g]) / 1000.0
    hb_rate = np.ones(len(g))
    ff_seg = seg_planted == RULES.index("FF")
    hb_rate[ff_seg[g] & (i == seg_hb[g] // 2)] = FAST_RATE
    last = np.cumsum(seg_hb) - 1
    seg_end = hb_t[last]
    seg_dur = seg_end - seg_start

    # popups
    n_pop = np.maximum((seg_dur - 1) // POPUP_MS, 0)
    pg, pk = _ranges(n_pop)
    pop_t = (
        seg_start[pg]
        + (pk + 1) * POPUP_MS
        + rng.integers(-POPUP_JITTER_MS, POPUP_JITTER_MS + 1, len(pg))
    )
    pop_ok = ~(seg_planted[pg] == RULES.index("POP"))

    # photos, one per full class hour
    n_ph = np.where(seg_planted == photo_code, 0, seg_dur // class_hour_ms)
    fg, fk = _ranges(n_ph)
    ph_t = (
        seg_start[fg] + fk * class_hour_ms + rng.integers(30_000, class_hour_ms - 30_000, len(fg))
    )

    # face before start; done after end (normal segments, unless SEQ planted)
    face_t = seg_start - rng.integers(0, FACE_BEFORE_MS + 1, ns)
    face_ok = seg_planted != RULES.index("FACE")
    done_seg = np.flatnonzero(~seg_extra & (seg_planted != RULES.index("SEQ")))
    done_t = seg_end[done_seg] + rng.integers(1_000, 10_000, len(done_seg))

    seg_of = np.concatenate([g, pg, fg, np.arange(ns), done_seg])
    t = np.concatenate([hb_t, pop_t, ph_t, face_t, done_t])
    kinds = np.concatenate(
        [
            np.zeros(len(g), np.int8),
            np.full(len(pg), 1, np.int8),
            np.full(len(fg), 3, np.int8),
            np.full(ns, 2, np.int8),
            np.full(len(done_seg), 4, np.int8),
        ]
    )
    nan = np.full(len(t) - len(g), np.nan)
    pos = np.concatenate([hb_pos, nan])
    rate_col = np.concatenate([hb_rate, nan])
    ok = np.concatenate(
        [
            np.zeros(len(g), bool),
            pop_ok,
            np.zeros(len(fg), bool),
            face_ok,
            np.zeros(len(done_seg), bool),
        ]
    )
    ok_mask = np.isin(kinds, (1, 2))
    order = np.argsort(t, kind="stable")
    if duplicates > 0:
        dup = rng.choice(len(t), int(len(t) * duplicates), replace=False)
        order = np.concatenate([order, dup])
    ne = len(t)
    eid = event_id0 + np.arange(ne, dtype=np.int64)
    sel = order
    s = seg_of[sel]
    kind_dict = pa.array(["hb", "popup", "face", "photo", "done"])
    events = pa.table(
        {
            "event_id": pa.array(eid[sel]),
            "platform": _strings("PF", seg_learner[s] % 3 + 1, 1),
            "learner": _strings("L", seg_learner[s], 7),
            "session": _strings("S", seg_session[s], 9),
            "course": _strings("C", np.where(seg_course[s] < 0, 99, seg_course[s]), 2),
            "lesson": pa.array(seg_lesson[s].astype(np.int32)),
            "ts": pa.array(t[sel].astype("datetime64[ms]")).cast(pa.timestamp("ms", tz="UTC")),
            "kind": pa.DictionaryArray.from_arrays(
                pa.array(kinds[sel].astype(np.int32)), kind_dict
            ).cast(pa.string()),
            "pos": pa.array(pos[sel], from_pandas=True),
            "rate": pa.array(rate_col[sel], from_pandas=True),
            "ok": pa.array(ok[sel], mask=~ok_mask[sel]),
        },
        schema=EVENT_SCHEMA,
    )

    flag_text = np.array(
        [",".join(c for c in RULES if b & RULE_BIT[c]) for b in range(1 << len(RULES))]
    )
    expected = pa.table(
        {
            "learner": _strings("L", seg_learner, 7),
            "session": _strings("S", seg_session, 9),
            "course": _strings("C", np.where(seg_course < 0, 99, seg_course), 2),
            "lesson": pa.array(seg_lesson.astype(np.int32)),
            "start": pa.array(seg_start.astype("datetime64[ms]")).cast(
                pa.timestamp("ms", tz="UTC")
            ),
            "end": pa.array(seg_end.astype("datetime64[ms]")).cast(pa.timestamp("ms", tz="UTC")),
            "flags": pa.array(flag_text[seg_bits]),
        },
        schema=RESULT_SCHEMA,
    )
    counts = {code: int((seg_planted == r).sum()) for r, code in enumerate(RULES)}
    return events, expected, counts


MW_SESSION_BASE = 900_000_000


def generate(
    out: Path,
    *,
    learners: int,
    seed: int = 1,
    violation_rate: float = 0.05,
    duplicates: float = 0.005,
    learners_per_file: int | None = None,
) -> Generated:
    """Write ``out/events/part-<chunk>-<platform>.parquet`` and ``out/expected.parquet``."""
    p = parameters.at(EPOCH.date())
    last_day = (EPOCH + dt.timedelta(days=SPREAD_DAYS + 30)).date()
    parameters.for_span(EPOCH.date(), last_day)  # one policy version over the whole log
    _check_policy(p)
    rng = np.random.default_rng(seed)
    per_file = learners_per_file or max(1, 1_000_000 // EVENTS_PER_LEARNER)
    events_dir = out / "events"
    events_dir.mkdir(parents=True, exist_ok=True)
    for old in events_dir.glob("part-*.parquet"):
        old.unlink()
    files: list[Path] = []
    expected_parts: list[pa.Table] = []
    planted = dict.fromkeys(RULES, 0)
    n_events = 0
    event_id = 1
    mw_session = MW_SESSION_BASE
    for k, first in enumerate(range(0, learners, per_file)):
        count = min(per_file, learners - first)
        events, expected, counts = _chunk(
            rng,
            first,
            count,
            violation_rate,
            duplicates,
            p.class_hour_ms,
            event_id,
            mw_session,
        )
        event_id += events.num_rows
        mw_session += counts["MW"]
        for code, c in counts.items():
            planted[code] += c
        platforms = events.column("platform")
        for code in sorted(pc.unique(platforms).to_pylist()):
            path = events_dir / f"part-{k:05d}-{code}.parquet"
            _write(events.filter(pc.equal(platforms, code)), path)
            files.append(path)
        expected_parts.append(expected)
        n_events += events.num_rows
    expected_path = out / "expected.parquet"
    table = pa.concat_tables(expected_parts).sort_by(
        [
            ("learner", "ascending"),
            ("session", "ascending"),
            ("course", "ascending"),
            ("lesson", "ascending"),
            ("start", "ascending"),
        ]
    )
    _write(table, expected_path)
    return Generated(n_events, table.num_rows, files, expected_path, planted)


def _write(table: pa.Table, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    pq.write_table(table, tmp, row_group_size=1_000_000)
    os.replace(tmp, path)
