"""Reading an uploaded batch (NDJSON, CSV, Parquet) and checking every row.

Pure (no Django). ``read_batch`` returns an Arrow table in ``EVENT_SCHEMA`` or raises
``BatchRefused`` listing every bad row (row number from 1 in the file's data, field, reason
in Chinese). Checks are vectorised (Arrow compute); only a file that cannot be parsed as a
whole is read line by line, to name the bad lines. Times are RFC 3339 (``TS_RE``); a value
of the wrong shape — an object or an array, an integer beyond 64 bits — is a bad row, and a
repeated column a bad file, never an error of the server.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any, Literal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.json as pajson
import pyarrow.parquet as pq

from chizheng.core.errors import ValidationError

from .schema import COLUMNS, EVENT_SCHEMA, KINDS

Format = Literal["ndjson", "csv", "parquet"]
REQUIRED: tuple[str, ...] = ("event_id", "learner", "session", "course", "lesson", "ts", "kind")
OPTIONAL: tuple[str, ...] = ("platform", "pos", "rate", "ok")
MAX_ROWS_LISTED = 1000
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
ID_NUMBER = r"^\d{17}[\dXx]$"  # a raw 身份证号 must never reach the logs
INT_RE = r"^\s*[+-]?\d+\s*$"
INT64_MAX = 2**63 - 1
FLOAT_RE = r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$"
# RFC 3339 date-time (§5.6): full-date "T" full-time with "Z" or a numeric offset; seconds
# whole or with any number of fractional digits. Case-insensitive ("t", "z", §5.6 note), and
# a space instead of "T", which §5.6 permits "for the sake of readability" (and which CSV
# exports of databases write). An offset of "-00:00" (unknown local offset) is UTC. A leap
# second (":60") is read as the next second, as POSIX time has none. Anything else — no
# zone, "+0800", a date or a time alone, a number — is refused with a reason.
TS_RE = r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
TS_NAIVE_RE = r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?$"
TS_EXAMPLE = "2022-05-09T08:00:00Z 或 2022-05-09T16:00:00.250+08:00"
BOOL_TRUE = ("true", "1", "True", "TRUE")
BOOL_FALSE = ("false", "0", "False", "FALSE")


class BadFile(ValidationError):
    code = "online_bad_file"


class BatchRefused(ValidationError):
    code = "online_bad_rows"


@dataclass(frozen=True)
class Problem:
    row: int
    field: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "reason": self.reason}


def detect_format(name: str, head: bytes) -> Format:
    if head[:4] == b"PAR1":
        return "parquet"
    lower = name.lower()
    if lower.endswith(".parquet"):
        return "parquet"
    if lower.endswith((".csv", ".csv.gz")):
        return "csv"
    if lower.endswith((".ndjson", ".jsonl", ".json")):
        return "ndjson"
    stripped = head.lstrip()
    return "ndjson" if stripped[:1] == b"{" else "csv"


def read_batch(data: bytes, *, fmt: Format, platform: str, now: dt.datetime) -> pa.Table:
    """Parse and check a batch; every row good, or ``BatchRefused`` naming the bad ones."""
    if fmt == "parquet":
        raw = _read_parquet(data)
    elif fmt == "csv":
        raw = _read_csv(data)
    else:
        raw = _read_ndjson(data)
    return check(raw, platform=platform, now=now, fmt=fmt)


def _read_parquet(data: bytes) -> pa.Table:
    if data[:4] != b"PAR1" or data[-4:] != b"PAR1":
        raise BadFile("文件不是 Parquet 格式", message_en="the file is not Parquet")
    try:
        return pq.read_table(io.BytesIO(data))
    except (pa.ArrowException, OSError) as e:
        raise BadFile(f"Parquet 文件无法读取：{e}", message_en=f"unreadable Parquet: {e}") from e


def _read_csv(data: bytes) -> pa.Table:
    try:
        names = data.split(b"\n", 1)[0].decode("utf-8-sig").strip().split(",")
        types = {n.strip(): pa.string() for n in names}
        return pacsv.read_csv(
            io.BytesIO(data),
            convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=True),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as e:
        raise BadFile(f"CSV 文件无法解析：{e}", message_en=f"unreadable CSV: {e}") from e


# ``ts`` is read as text: left to infer, Arrow's JSON reader turns whole-second times into
# zone-less timestamps (dropping "Z" and any offset), which the checks cannot tell apart.
NDJSON_OPTIONS = pajson.ParseOptions(
    explicit_schema=pa.schema([("ts", pa.string())]), unexpected_field_behavior="infer"
)


def _read_ndjson(data: bytes) -> pa.Table:
    try:
        table = pajson.read_json(io.BytesIO(data), parse_options=NDJSON_OPTIONS)
    except pa.ArrowInvalid:
        pass
    else:  # the explicit schema adds a ts column even where no row has one
        if b'"ts"' not in data and table.column("ts").null_count == table.num_rows:
            table = table.drop_columns(["ts"])
        return table
    # the fast reader refuses the whole file: read line by line to name the bad lines
    rows: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for i, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (ValueError, UnicodeDecodeError):
            problems.append(Problem(i, "", "不是有效的 JSON 行"))
            continue
        if not isinstance(obj, dict):
            problems.append(Problem(i, "", "每行应为一个 JSON 对象"))
            continue
        row: dict[str, Any] = {}
        for k, v in obj.items():
            if isinstance(v, dict | list):
                problems.append(Problem(i, str(k)[:64], "应为单个值，不能是对象或数组"))
                v = None
            row[str(k)] = (
                None if v is None else ("true" if v else "false") if isinstance(v, bool) else str(v)
            )
        rows.append(row)
    if problems:
        _refuse(problems, len(rows))
    if not rows:
        raise BadFile("文件中没有事件", message_en="no events in file")
    names = sorted({k for r in rows for k in r})
    return pa.table({n: pa.array([r.get(n) for r in rows], type=pa.string()) for n in names})


def _refuse(problems: list[Problem], total: int) -> None:
    problems.sort(key=lambda p: (p.row, p.field))
    bad_rows = len({p.row for p in problems})
    listed = problems[:MAX_ROWS_LISTED]
    first = "；".join(f"第 {p.row} 行 {p.field or '整行'}：{p.reason}" for p in listed[:3])
    raise BatchRefused(
        f"本批 {total} 行中有 {bad_rows} 行不合格，整批未接收。{first}"
        + ("……" if len(problems) > 3 else ""),
        message_en=f"{bad_rows} of {total} rows are invalid; the batch was refused",
        detail={
            "bad_rows": bad_rows,
            "rows": total,
            "problems": [p.as_dict() for p in listed],
            "truncated": len(problems) > len(listed),
        },
    )


def _rows(mask: pa.ChunkedArray | pa.Array) -> list[int]:
    idx = pc.indices_nonzero(pc.fill_null(mask, False))
    return [i + 1 for i in idx.to_pylist()]


def _is_text(t: pa.DataType) -> bool:
    return bool(pa.types.is_string(t) or pa.types.is_large_string(t))


def _text(col: pa.ChunkedArray, field: str, problems: list[Problem]) -> pa.ChunkedArray:
    """The column as text: numbers and booleans as written; an object, an array or bytes
    is a bad value of each row that has one."""
    if _is_text(col.type):
        return col
    t = col.type
    if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_boolean(t):
        return pc.cast(col, pa.string())
    problems.extend(
        Problem(r, field, "应为文本，不能是对象或数组") for r in _rows(pc.is_valid(col))
    )
    return pa.chunked_array([pa.nulls(len(col), pa.string())])


def _to_int(
    col: pa.ChunkedArray, field: str, target: pa.DataType, problems: list[Problem]
) -> pa.ChunkedArray:
    if pa.types.is_integer(col.type):
        if pa.types.is_unsigned_integer(col.type):  # a uint64 beyond int64 (Parquet)
            big = pc.greater(col, pa.scalar(INT64_MAX, col.type))
            problems.extend(Problem(r, field, "整数超出范围") for r in _rows(big))
            col = pc.if_else(big, pa.scalar(None, col.type), col)
        return pc.cast(col, target)
    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        bad = pc.invert(pc.match_substring_regex(col, INT_RE))
        problems.extend(
            Problem(r, field, "应为整数") for r in _rows(pc.and_(pc.is_valid(col), bad))
        )
        clean = pc.if_else(bad, pa.scalar(None, pa.string()), pc.utf8_trim_whitespace(col))
        try:
            return pc.cast(clean, target)
        except pa.ArrowInvalid:  # a number beyond int64: name the rows
            return _ints_each(clean, field, target, problems)
    if pa.types.is_floating(col.type):
        whole = pc.and_(pc.equal(pc.floor(col), col), pc.less_equal(pc.abs(col), float(2**53)))
        problems.extend(
            Problem(r, field, "应为整数（且不超过 2^53）")
            for r in _rows(pc.and_(pc.is_valid(col), pc.invert(whole)))
        )
        return pc.cast(pc.if_else(whole, col, pa.scalar(None, col.type)), target, safe=False)
    problems.extend(Problem(r, field, "应为整数") for r in _rows(pc.is_valid(col)))
    return pa.chunked_array([pa.nulls(len(col), target)])


def _to_float(col: pa.ChunkedArray, field: str, problems: list[Problem]) -> pa.ChunkedArray:
    if pa.types.is_floating(col.type) or pa.types.is_integer(col.type):
        return pc.cast(col, pa.float64())
    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        bad = pc.invert(pc.match_substring_regex(col, FLOAT_RE))
        problems.extend(
            Problem(r, field, "应为数值") for r in _rows(pc.and_(pc.is_valid(col), bad))
        )
        clean = pc.if_else(bad, pa.scalar(None, pa.string()), pc.utf8_trim_whitespace(col))
        return pc.cast(clean, pa.float64())
    problems.extend(Problem(r, field, "应为数值") for r in _rows(pc.is_valid(col)))
    return pa.chunked_array([pa.nulls(len(col), pa.float64())])


def _to_bool(col: pa.ChunkedArray, field: str, problems: list[Problem]) -> pa.ChunkedArray:
    if pa.types.is_boolean(col.type):
        return col
    if not (_is_text(col.type) or pa.types.is_integer(col.type)):
        problems.extend(Problem(r, field, "应为 true 或 false") for r in _rows(pc.is_valid(col)))
        return pa.chunked_array([pa.nulls(len(col), pa.bool_())])
    text = _text(col, field, problems)
    true = pc.is_in(text, pa.array(BOOL_TRUE))
    false = pc.is_in(text, pa.array(BOOL_FALSE))
    bad = pc.and_(pc.is_valid(text), pc.invert(pc.or_(true, false)))
    problems.extend(Problem(r, field, "应为 true 或 false") for r in _rows(bad))
    return pc.if_else(true, True, pc.if_else(false, False, pa.scalar(None, pa.bool_())))


def _ints_each(
    col: pa.ChunkedArray, field: str, target: pa.DataType, problems: list[Problem]
) -> pa.ChunkedArray:
    bits = target.bit_width
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    out: list[int | None] = []
    for i, v in enumerate(col.to_pylist(), start=1):
        n = None if v is None else int(v)
        if n is not None and not low <= n <= high:
            problems.append(Problem(i, field, "整数超出范围"))
            n = None
        out.append(n)
    return pa.chunked_array([pa.array(out, type=target)])


def _to_ts(col: pa.ChunkedArray, fmt: Format, problems: list[Problem]) -> pa.ChunkedArray:
    target = pa.timestamp("ms", tz="UTC")
    if pa.types.is_timestamp(col.type):
        if col.type.tz is None:
            if fmt == "parquet":
                raise BadFile(
                    "Parquet 的 ts 列缺少时区，应为 UTC 时间戳",
                    message_en="Parquet ts column has no time zone; use UTC timestamps",
                )
            problems.extend(Problem(r, "ts", "时间缺少时区") for r in _rows(pc.is_valid(col)))
            return pa.chunked_array([pa.nulls(len(col), target)])
        return pc.cast(col, target, safe=False)
    if fmt == "parquet":
        raise BadFile(
            f"Parquet 的 ts 列类型为 {col.type}，应为带时区的时间戳（不能是文本）",
            message_en=f"Parquet ts column is {col.type}; it must be a timestamp, not text",
        )
    if not _is_text(col.type):
        problems.extend(
            Problem(r, "ts", f"应为 RFC 3339 时间（带时区），如 {TS_EXAMPLE}")
            for r in _rows(pc.is_valid(col))
        )
        return pa.chunked_array([pa.nulls(len(col), target)])
    good = pc.match_substring_regex(col, TS_RE)
    naive = pc.match_substring_regex(col, TS_NAIVE_RE)
    problems.extend(
        Problem(r, "ts", f"时间缺少时区（应带 Z 或时差），如 {TS_EXAMPLE}") for r in _rows(naive)
    )
    other = pc.and_(pc.is_valid(col), pc.invert(pc.or_(good, naive)))
    problems.extend(
        Problem(r, "ts", f"应为 RFC 3339 时间（带时区），如 {TS_EXAMPLE}") for r in _rows(other)
    )
    # normalise to "YYYY-MM-DDTHH:MM:SS(.fffffffff)+HH:MM" and let Arrow parse with the offset
    clean = pc.utf8_upper(pc.if_else(good, col, pa.scalar(None, pa.string())))
    clean = pc.replace_substring_regex(clean, r"^(\d{4}-\d{2}-\d{2}) ", r"\1T")
    clean = pc.replace_substring_regex(clean, r"(Z|-00:00)$", "+00:00")
    clean = pc.replace_substring_regex(clean, r"(\.\d{9})\d+", r"\1")  # Arrow: ns at most
    leap = pc.fill_null(pc.match_substring_regex(clean, r"T\d{2}:\d{2}:60"), False)
    clean = pc.replace_substring_regex(clean, r"(T\d{2}:\d{2}):60", r"\1:59")
    try:
        parsed = pc.cast(clean, pa.timestamp("ns", tz="UTC"))
    except pa.ArrowInvalid:  # e.g. 2022-02-30: name the rows
        parsed = _parse_each(clean, problems)
    parsed = pc.if_else(leap, pc.add(parsed, pa.scalar(dt.timedelta(seconds=1))), parsed)
    return pc.cast(parsed, target, safe=False)


def _parse_each(col: pa.ChunkedArray, problems: list[Problem]) -> pa.Array:
    out: list[dt.datetime | None] = []
    for i, v in enumerate(col.to_pylist(), start=1):
        if v is None:
            out.append(None)
            continue
        try:
            out.append(dt.datetime.fromisoformat(_micro(v)).astimezone(dt.UTC))
        except ValueError:
            problems.append(Problem(i, "ts", "不是有效的日期时间"))
            out.append(None)
    return pa.array(out, type=pa.timestamp("ns", tz="UTC"))


def _micro(v: str) -> str:
    """At most six fractional digits, for ``datetime.fromisoformat``."""
    head, dot, rest = v.partition(".")
    if not dot:
        return v
    digits = rest[: len(rest) - 6]  # the offset "+HH:MM" is the last six characters
    return f"{head}.{digits[:6]}{rest[len(rest) - 6 :]}"


def check(raw: pa.Table, *, platform: str, now: dt.datetime, fmt: Format) -> pa.Table:
    names = [n.strip() for n in raw.column_names]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise BadFile(
            f"列重复：{'、'.join(repeated)}（每列只能出现一次）",
            message_en=f"repeated columns: {repeated}",
            detail={"repeated": repeated},
        )
    raw = raw.rename_columns(names)
    missing = [c for c in REQUIRED if c not in names]
    unknown = [c for c in names if c not in COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"缺少列：{'、'.join(missing)}")
        if unknown:
            parts.append(f"未知列：{'、'.join(unknown)}")
        raise BadFile(
            "列不符合事件格式（" + "；".join(parts) + "）",
            message_en=f"wrong columns: missing {missing}, unknown {unknown}",
            detail={"missing": missing, "unknown": unknown, "expected": list(COLUMNS)},
        )
    n = raw.num_rows
    if n == 0:
        raise BadFile("文件中没有事件", message_en="no events in file")
    problems: list[Problem] = []

    def col(name: str) -> pa.ChunkedArray:
        if name in names:
            return raw.column(name)
        return pa.chunked_array([pa.nulls(n, pa.string())])

    def required(c: pa.ChunkedArray, field: str) -> None:
        problems.extend(Problem(r, field, "不能为空") for r in _rows(pc.is_null(c)))

    event_id = _to_int(col("event_id"), "event_id", pa.int64(), problems)
    required(col("event_id"), "event_id")
    problems.extend(Problem(r, "event_id", "应为正整数") for r in _rows(pc.less(event_id, 1)))

    plat = col("platform")
    if "platform" in names:
        text = _text(plat, "platform", problems)
        other = pc.and_(pc.is_valid(text), pc.not_equal(text, platform))
        problems.extend(
            Problem(r, "platform", f"不能以其他平台身份上传（本平台为 {platform}）")
            for r in _rows(other)
        )
    platform_col = pa.chunked_array([pa.array([platform] * n, pa.string())]) if n else plat

    strings: dict[str, pa.ChunkedArray] = {}
    for field in ("learner", "session", "course"):
        c = _text(col(field), field, problems)
        required(col(field), field)
        empty = pc.equal(pc.utf8_length(pc.utf8_trim_whitespace(c)), 0)
        problems.extend(Problem(r, field, "不能为空") for r in _rows(empty))
        long = pc.greater(pc.utf8_length(c), 64)
        problems.extend(Problem(r, field, "长度不能超过 64") for r in _rows(long))
        strings[field] = c
    id_like = pc.match_substring_regex(strings["learner"], ID_NUMBER)
    problems.extend(
        Problem(r, "learner", "学员标识不得为身份证号，应使用化名键") for r in _rows(id_like)
    )

    lesson = _to_int(col("lesson"), "lesson", pa.int64(), problems)
    required(col("lesson"), "lesson")
    problems.extend(
        Problem(r, "lesson", "课次应为从 1 开始的整数") for r in _rows(pc.less(lesson, 1))
    )
    problems.extend(Problem(r, "lesson", "课次过大") for r in _rows(pc.greater(lesson, 100_000)))

    kind = _text(col("kind"), "kind", problems)
    required(kind, "kind")
    bad_kind = pc.and_(pc.is_valid(kind), pc.invert(pc.is_in(kind, pa.array(KINDS))))
    problems.extend(
        Problem(r, "kind", f"类型应为 {'、'.join(KINDS)} 之一") for r in _rows(bad_kind)
    )

    ts = _to_ts(col("ts"), fmt, problems)
    required(col("ts"), "ts")
    early = pc.less(ts, pa.scalar(EARLIEST, pa.timestamp("ms", tz="UTC")))
    late = pc.greater(ts, pa.scalar(now + dt.timedelta(days=1), pa.timestamp("ms", tz="UTC")))
    problems.extend(Problem(r, "ts", "时间早于 2000 年") for r in _rows(early))
    problems.extend(Problem(r, "ts", "时间晚于当前时间") for r in _rows(late))

    pos = _to_float(col("pos"), "pos", problems)
    rate = _to_float(col("rate"), "rate", problems)
    ok = _to_bool(col("ok"), "ok", problems)
    is_hb = pc.equal(kind, "hb")
    needs_ok = pc.is_in(kind, pa.array(["popup", "face"]))
    problems.extend(
        Problem(r, "pos", "心跳必须有播放位置")
        for r in _rows(pc.and_(is_hb, pc.is_null(col("pos"))))
    )
    problems.extend(
        Problem(r, "rate", "心跳必须有播放倍速")
        for r in _rows(pc.and_(is_hb, pc.is_null(col("rate"))))
    )
    problems.extend(
        Problem(r, "pos", "播放位置应为非负有限数")
        for r in _rows(pc.or_(pc.less(pos, 0), pc.invert(pc.is_finite(pos))))
    )
    problems.extend(
        Problem(r, "rate", "播放倍速应为正的有限数")
        for r in _rows(pc.or_(pc.less_equal(rate, 0), pc.invert(pc.is_finite(rate))))
    )
    problems.extend(
        Problem(r, "ok", "弹窗和人脸事件必须有 ok")
        for r in _rows(pc.and_(needs_ok, pc.is_null(col("ok"))))
    )

    if problems:
        _refuse(problems, n)
    return pa.table(
        {
            "event_id": event_id,
            "platform": platform_col,
            "learner": strings["learner"],
            "session": strings["session"],
            "course": strings["course"],
            "lesson": pc.cast(lesson, pa.int32()),
            "ts": ts,
            "kind": kind,
            "pos": pos,
            "rate": rate,
            "ok": ok,
        },
        schema=EVENT_SCHEMA,
    )
