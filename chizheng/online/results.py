"""Roll-ups of an audit result: what counts (§20(3): only valid time counts) and why not.

Pure (no Django): from the per-segment result to valid and void seconds and credited
online class hours per learner and course, and a learner's void segments with each rule
named and its clause cited from the policy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from chizheng.rules import params

from . import parameters

# The six rules of §20(3), by the code the audit flags a segment with.
RULE_CODES: tuple[str, ...] = ("FACE", "FF", "MW", "PHOTO", "POP", "SEQ")
# the parameter whose clause each rule applies (all §20(3) in the 2022 plan)
RULE_PARAMETER: dict[str, str] = {
    "FACE": "online.face_grace_s",
    "FF": "online.max_rate",
    "MW": "online.segment_gap_s",
    "PHOTO": "online.class_hour_s",
    "POP": "online.popup_max_gap_s",
    "SEQ": "online.segment_gap_s",
}


def rule_labels(at: dt.date) -> dict[str, str]:
    """Each rule's Chinese name as §20(3) words it, with the numbers in force on ``at``."""
    return {
        "FACE": "无法进行人脸活体比对",
        "FF": "快进播放",
        "MW": "多窗口学习",
        "PHOTO": "每课时无随机保留影像照片",
        "POP": f"连续{_duration(int(params.current().value('online.popup_max_gap_s', at)))}内无弹窗管控",
        "SEQ": "不按内容先后顺序",
    }


def _duration(seconds: int) -> str:
    """300 → 5分钟, 90 → 90秒: as the document counts it, in whole minutes where it can."""
    return f"{seconds // 60}分钟" if seconds % 60 == 0 else f"{seconds}秒"


@dataclass(frozen=True)
class VoidSegment:
    session: str
    course: str
    lesson: int
    start: dt.datetime
    end: dt.datetime
    rules: tuple[tuple[str, str, str], ...]  # (code, 中文, clause)


def by_learner_course(result: pa.Table, *, at: dt.date) -> pa.Table:
    """learner, course, valid_s, void_s, segments, void_segments, credited_class_hours.

    A class hour is ``online.class_hour_s`` of valid time; only whole class hours are
    credited.
    """
    hour_s = parameters.at(at).class_hour_s
    con = duckdb.connect()
    try:
        con.register("result", result)
        return con.sql(
            f"""
            SELECT learner, course,
                   sum(CASE WHEN flags = '' THEN epoch_ms("end") - epoch_ms("start") ELSE 0 END)
                       / 1000.0 AS valid_s,
                   sum(CASE WHEN flags <> '' THEN epoch_ms("end") - epoch_ms("start") ELSE 0 END)
                       / 1000.0 AS void_s,
                   count(*) AS segments,
                   count(*) FILTER (WHERE flags <> '') AS void_segments,
                   CAST(floor(sum(CASE WHEN flags = '' THEN epoch_ms("end") - epoch_ms("start")
                                       ELSE 0 END) / {hour_s * 1000}) AS BIGINT)
                       AS credited_class_hours
            FROM result GROUP BY learner, course ORDER BY learner, course
            """  # noqa: S608 (a policy integer)
        ).to_arrow_table()
    finally:
        con.close()


def by_platform(result: pa.Table, events: pa.Table) -> pa.Table:
    """platform, valid_s, void_s, void_share and each rule's share of time (§20(3) sanctions).

    A segment belongs to the platform of its heartbeats (a session is one platform's); a
    segment with several rules counts towards each rule's share.
    """
    con = duckdb.connect()
    try:
        con.register("result", result)
        con.register("events", events)
        rule_cols = ",\n".join(
            f"sum(CASE WHEN list_contains(string_split(flags, ','), '{c}') THEN len ELSE 0 END)"
            f" / sum(len) AS share_{c.lower()}"
            for c in RULE_CODES
        )
        return con.sql(
            f"""
            WITH owner AS (
                SELECT DISTINCT learner, session, course, lesson, platform
                FROM events WHERE kind = 'hb'
            ),
            seg AS (
                SELECT o.platform, r.flags,
                       (epoch_ms(r."end") - epoch_ms(r."start")) / 1000.0 AS len
                FROM result r JOIN owner o USING (learner, session, course, lesson)
            )
            SELECT platform,
                   sum(CASE WHEN flags = '' THEN len ELSE 0 END) AS valid_s,
                   sum(CASE WHEN flags <> '' THEN len ELSE 0 END) AS void_s,
                   sum(CASE WHEN flags <> '' THEN len ELSE 0 END) / sum(len) AS void_share,
                   {rule_cols}
            FROM seg GROUP BY platform HAVING sum(len) > 0 ORDER BY platform
            """  # noqa: S608 (rule codes are constants)
        ).to_arrow_table()
    finally:
        con.close()


def void_segments(result: pa.Table, *, learner: str, at: dt.date) -> list[VoidSegment]:
    policy = params.current()
    clause = {code: policy.version(name, at).clause for code, name in RULE_PARAMETER.items()}
    labels = rule_labels(at)
    out: list[VoidSegment] = []
    for row in result.filter(pc.equal(result["learner"], learner)).to_pylist():
        if not row["flags"]:
            continue
        codes = row["flags"].split(",")
        out.append(
            VoidSegment(
                session=row["session"],
                course=row["course"],
                lesson=row["lesson"],
                start=row["start"],
                end=row["end"],
                rules=tuple((c, labels[c], clause[c]) for c in codes),
            )
        )
    return out


def segment_platforms(files: list[str]) -> pa.Table:
    """platform, learner, session, course, lesson of every lesson attempt's heartbeats in
    ``files`` (a session is one platform's, so this names each segment's platform)."""
    if not files:
        return pa.table(
            {c: pa.array([], pa.string()) for c in ("platform", "learner", "session", "course")}
            | {"lesson": pa.array([], pa.int32())}
        )
    con = duckdb.connect()
    try:
        con.execute("SET threads = 2")
        events = con.read_parquet(files, hive_partitioning=False)
        return (
            events.filter("kind = 'hb'")
            .select("platform, learner, session, course, lesson")
            .distinct()
            .to_arrow_table()
        )
    finally:
        con.close()


def by_platform_day(result: pa.Table, owners: pa.Table, *, utc_offset_s: int) -> pa.Table:
    """platform, day, valid_s, void_s and each rule's void seconds (``face_s`` … ``seq_s``).

    A segment counts on the local day (UTC + ``utc_offset_s``) of its start, for the
    platform of its heartbeats; a segment with several rules counts under each.
    """
    con = duckdb.connect()
    try:
        con.register("result", result)
        con.register("owners", owners)
        rule_cols = ",\n".join(
            f"sum(CASE WHEN list_contains(string_split(flags, ','), '{c}') THEN len ELSE 0 END)"
            f" AS {c.lower()}_s"
            for c in RULE_CODES
        )
        return con.sql(
            f"""
            WITH seg AS (
                SELECT o.platform, r.flags,
                       DATE '1970-01-01' + CAST(floor((epoch_ms(r."start")
                           + {int(utc_offset_s) * 1000}) / 86400000) AS INTEGER) AS day,
                       (epoch_ms(r."end") - epoch_ms(r."start")) / 1000.0 AS len
                FROM result r JOIN owners o USING (learner, session, course, lesson)
            )
            SELECT platform, day,
                   sum(CASE WHEN flags = '' THEN len ELSE 0 END) AS valid_s,
                   sum(CASE WHEN flags <> '' THEN len ELSE 0 END) AS void_s,
                   {rule_cols}
            FROM seg GROUP BY platform, day ORDER BY platform, day
            """  # noqa: S608 (rule codes are constants, the offset an integer)
        ).to_arrow_table()
    finally:
        con.close()
