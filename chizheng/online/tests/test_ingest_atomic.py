"""A crash mid-upload leaves no partial batch visible, and the id index heals itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from chizheng.online import config, services
from chizheng.online.tests.logs import Log, ndjson


def test_crash_before_rename_leaves_nothing_visible(
    online_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = Log().play(0, 600)

    def crash(src: str, dst: str) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        services.ingest_bytes(data=ndjson(log.rows), name="b.ndjson", platform="P1")
    monkeypatch.undo()
    monkeypatch.setenv("CHIZHENG_ONLINE_DIR", str(online_dir))
    assert config.store().files() == []
    assert [p.name for p in online_dir.rglob("*.parquet")] == []
    # nothing was indexed either: the same batch goes in whole afterwards
    assert services.ingest_bytes(
        data=ndjson(log.rows), name="b.ndjson", platform="P1"
    ).stored == len(log.rows)


def test_crash_after_rename_is_repaired_at_next_ingest(online_dir: Path) -> None:
    log = Log().play(0, 600)
    services.ingest_bytes(data=ndjson(log.rows), name="b.ndjson", platform="P1")
    index = online_dir / "index" / "P1.sqlite3"
    index.unlink()  # as if the commit after the rename had been lost
    for side in ("-wal", "-shm"):
        Path(f"{index}{side}").unlink(missing_ok=True)
    again = services.ingest_bytes(data=ndjson(log.rows), name="b.ndjson", platform="P1")
    assert (again.stored, again.duplicates) == (0, len(log.rows))
    assert len(config.store().files()) == 1
