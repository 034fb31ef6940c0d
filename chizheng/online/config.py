"""Where the online events live: ``CHIZHENG_ONLINE_DIR``, default ``<VAR_DIR>/online``."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from .store import Store


def data_dir() -> Path:
    env = os.environ.get("CHIZHENG_ONLINE_DIR", "").strip()
    return Path(env) if env else Path(settings.VAR_DIR) / "online"


def store() -> Store:
    return Store(data_dir())


def latest_result() -> Path:
    """Where the audit result the system reads lives (``chizheng online audit --out`` it)."""
    return data_dir() / "results" / "latest.parquet"
