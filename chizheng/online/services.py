"""Writes of the online area: ingesting batches of events, running the audit to a file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from chizheng.core import clock
from chizheng.core.errors import ValidationError

from . import audit as audit_mod
from . import config, validation
from .store import Ingested, check_platform

MAX_BATCH_BYTES = 256 * 1024 * 1024


def ingest_bytes(
    *, data: bytes, name: str, platform: str, now: dt.datetime | None = None
) -> Ingested:
    """Check and store one batch; all rows or none (``BatchRefused`` lists the bad ones)."""
    check_platform(platform)
    if not data:
        raise validation.BadFile("文件为空", message_en="empty file")
    if len(data) > MAX_BATCH_BYTES:
        raise validation.BadFile("文件过大，请分批上传", message_en="file too large; split it")
    now = now or clock.now()
    fmt = validation.detect_format(name, data[:64])
    table = validation.read_batch(data, fmt=fmt, platform=platform, now=now)
    return config.store().ingest(table, platform=platform, now=now)


def ingest_files(*, paths: Sequence[Path], platform: str) -> list[Ingested]:
    """Each file is one batch, checked and stored on its own."""
    out: list[Ingested] = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as e:
            raise ValidationError(
                f"无法读取文件 {path}：{e.strerror}",
                code="online_bad_file",
                message_en=f"cannot read {path}",
            ) from e
        out.append(ingest_bytes(data=data, name=str(path), platform=platform))
    return out


def audit_to_file(
    *,
    sources: Sequence[Path],
    out: Path,
    at: dt.date | None = None,
    engine: audit_mod.Engine = "duckdb",
) -> int:
    """Audit ``sources`` (Parquet files), or everything stored when none are given."""
    if sources:
        return audit_mod.audit_to_parquet(list(sources), out, at=at, engine=engine)
    files = config.store().files()
    if not files:
        raise ValidationError(
            "尚无已接收的线上学习事件", code="online_no_events", message_en="no events stored yet"
        )
    return audit_mod.audit_to_parquet(files, out, at=at, engine=engine, unique=True)
