"""A file that is not what it claims gets one clear error, and nothing is stored."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from chizheng.online import services
from chizheng.online.tests.logs import Log, parquet
from chizheng.online.validation import BadFile


def test_not_parquet(online_dir: Path) -> None:
    with pytest.raises(BadFile, match="不是 Parquet"):
        services.ingest_bytes(
            data=b"PAR1 this is not really parquet", name="b.parquet", platform="P1"
        )


def test_wrong_columns(online_dir: Path) -> None:
    table = (
        Log()
        .play(0, 60)
        .table()
        .rename_columns(
            [
                "id",
                "platform",
                "learner",
                "session",
                "course",
                "lesson",
                "ts",
                "kind",
                "pos",
                "rate",
                "ok",
            ]
        )
    )
    with pytest.raises(BadFile) as exc:
        services.ingest_bytes(data=parquet(table), name="b.parquet", platform="P1")
    assert exc.value.detail["missing"] == ["event_id"] and exc.value.detail["unknown"] == ["id"]
    assert "缺少列：event_id" in exc.value.message


def test_timestamps_as_text_in_parquet(online_dir: Path) -> None:
    table = Log().play(0, 60).table()
    as_text = table.set_column(6, "ts", pc.cast(table.column("ts"), pa.string()))
    with pytest.raises(BadFile, match="不能是文本"):
        services.ingest_bytes(data=parquet(as_text), name="b.parquet", platform="P1")


def test_empty_file(online_dir: Path) -> None:
    with pytest.raises(BadFile, match="文件为空"):
        services.ingest_bytes(data=b"", name="b.csv", platform="P1")


def test_csv_with_wrong_header(online_dir: Path) -> None:
    with pytest.raises(BadFile, match="缺少列"):
        services.ingest_bytes(data=b"a,b\n1,2\n", name="b.csv", platform="P1")
