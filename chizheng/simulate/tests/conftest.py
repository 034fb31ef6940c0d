"""Each test's online event store in its own directory (``online_logs`` writes one)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def online_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "online"
    monkeypatch.setenv("CHIZHENG_ONLINE_DIR", str(path))
    return path
