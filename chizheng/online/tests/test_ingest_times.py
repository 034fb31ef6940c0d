"""Event times in every RFC 3339 form are accepted; anything else, and values of the wrong
shape, are bad rows named with a reason — never a whole-second time refused as "no zone",
never a server error."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from chizheng.online import services
from chizheng.online.validation import BadFile, BatchRefused

UTC = dt.UTC


def _row(n: int = 1, **kw: Any) -> dict[str, Any]:
    return {
        "event_id": n,
        "learner": "L1",
        "session": "S1",
        "course": "C1",
        "lesson": 1,
        "ts": "2022-05-09T08:00:00.000Z",
        "kind": "hb",
        "pos": 0,
        "rate": 1.0,
        **kw,
    }


def _ingest(*rows: dict[str, Any]) -> Any:
    data = b"".join(json.dumps(r).encode() + b"\n" for r in rows)
    return services.ingest_bytes(data=data, name="b.ndjson", platform="P1")


def _stored_ts(online_dir: Path) -> list[dt.datetime]:
    import pyarrow.parquet as pq

    out: list[dt.datetime] = []
    for f in sorted((online_dir / "events").rglob("*.parquet")):
        out.extend(pq.read_table(f).column("ts").to_pylist())
    return sorted(out)


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2022-05-09T08:00:00Z", dt.datetime(2022, 5, 9, 8, tzinfo=UTC)),
        ("2022-05-09T16:00:00+08:00", dt.datetime(2022, 5, 9, 8, tzinfo=UTC)),
        ("2022-05-09T08:00:00-00:00", dt.datetime(2022, 5, 9, 8, tzinfo=UTC)),
        ("2022-05-09T16:00:00.25+08:00", dt.datetime(2022, 5, 9, 8, 0, 0, 250000, tzinfo=UTC)),
        ("2022-05-09T08:00:00.123456789123Z", dt.datetime(2022, 5, 9, 8, 0, 0, 123000, tzinfo=UTC)),
        ("2022-05-09t08:00:00z", dt.datetime(2022, 5, 9, 8, tzinfo=UTC)),
        ("2022-05-09 08:00:00Z", dt.datetime(2022, 5, 9, 8, tzinfo=UTC)),  # §5.6 permits
        ("2016-12-31T23:59:60Z", dt.datetime(2017, 1, 1, tzinfo=UTC)),  # a leap second
    ],
)
def test_every_rfc3339_form(online_dir: Path, text: str, instant: dt.datetime) -> None:
    assert _ingest(_row(ts=text)).stored == 1
    assert _stored_ts(online_dir) == [instant]


def test_whole_seconds_with_zone_and_offset_in_one_batch(online_dir: Path) -> None:
    result = _ingest(
        _row(1, ts="2022-05-09T08:00:00Z"),
        _row(2, ts="2022-05-09T16:00:30+08:00"),
        _row(3, ts="2022-05-09T08:01:00.000Z"),
    )
    assert result.stored == 3


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2022-05-09T08:00:00", "时间缺少时区"),
        ("2022-05-09T16:00:00+0800", "应为 RFC 3339 时间"),
        ("2022-05-09", "应为 RFC 3339 时间"),
        ("1652083200", "应为 RFC 3339 时间"),
        ("2022-02-30T08:00:00Z", "不是有效的日期时间"),
        ("2022-05-09T24:00:00Z", "不是有效的日期时间"),
    ],
)
def test_other_forms_are_bad_rows(online_dir: Path, text: str, reason: str) -> None:
    with pytest.raises(BatchRefused) as e:
        _ingest(_row(1), _row(2, ts=text))
    (problem,) = e.value.detail["problems"]
    assert (problem["row"], problem["field"]) == (2, "ts")
    assert problem["reason"].startswith(reason)


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("learner", {"id": 1}, "不能是对象或数组"),
        ("pos", [1, 2], "不能是对象或数组"),
        ("ts", {"t": 1}, "不能是对象或数组"),
        ("event_id", 2**70, "应为整数"),
        ("ok", {"x": True}, "应为 true 或 false"),
    ],
)
def test_values_of_the_wrong_shape_are_bad_rows(
    online_dir: Path, field: str, value: Any, reason: str
) -> None:
    with pytest.raises(BatchRefused) as e:
        _ingest(_row(1), _row(2, **{field: value}))
    assert [(p["row"], p["field"]) for p in e.value.detail["problems"]] == [(2, field)]
    assert reason in e.value.detail["problems"][0]["reason"]


def test_objects_in_every_row_are_bad_rows_too(online_dir: Path) -> None:
    """(A file the fast reader takes whole: the column is an object column.)"""
    with pytest.raises(BatchRefused) as e:
        _ingest(_row(1, learner={"id": 1}), _row(2, learner={"id": 2}))
    assert [(p["row"], p["field"]) for p in e.value.detail["problems"]] == [
        (1, "learner"),
        (2, "learner"),
    ]


def test_an_integer_beyond_64_bits_in_csv(online_dir: Path) -> None:
    head = b"event_id,learner,session,course,lesson,ts,kind,pos,rate\n"
    data = head + b"99999999999999999999999,L1,S1,C1,1,2022-05-09T08:00:00Z,hb,0,1\n"
    with pytest.raises(BatchRefused) as e:
        services.ingest_bytes(data=data, name="b.csv", platform="P1")
    assert e.value.detail["problems"] == [{"row": 1, "field": "event_id", "reason": "整数超出范围"}]


def test_a_repeated_column_is_a_bad_file(online_dir: Path) -> None:
    data = (
        b"event_id,learner,session,course,lesson,ts,kind,pos,rate,rate\n"
        b"1,L1,S1,C1,1,2022-05-09T08:00:00Z,hb,0,1,2\n"
    )
    with pytest.raises(BadFile) as e:
        services.ingest_bytes(data=data, name="b.csv", platform="P1")
    assert e.value.detail == {"repeated": ["rate"]} and "列重复" in e.value.message
