"""Settings from the environment, failing loudly on a malformed value."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured


def load_env_file(path: Path) -> None:
    """Read KEY=VALUE lines (the demo's generated secrets) without overriding the real env."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip())


def get_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false)")


def get_int(name: str, default: int, *, low: int, high: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None
    if not low <= value <= high:
        raise ImproperlyConfigured(f"{name}={value} is outside {low}..{high}")
    return value


def get_float(name: str, default: float, *, low: float, high: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number") from None
    if not low <= value <= high:
        raise ImproperlyConfigured(f"{name}={value} is outside {low}..{high}")
    return value


def get_time(name: str, default: str) -> dt.time:
    """A local time of day, ``HH:MM``."""
    raw = os.environ.get(name, "").strip() or default
    try:
        return dt.datetime.strptime(raw, "%H:%M").time()
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a time of day (HH:MM)") from None


def database_from_url(url: str, *, base_dir: Path) -> dict[str, Any]:
    """``sqlite:///path`` or ``postgresql://user:pass@host:port/name``."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        name = unquote(parsed.path[1:] if parsed.path.startswith("//") else parsed.path.lstrip("/"))
        path = Path(name) if Path(name).is_absolute() else base_dir / name
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}
    if parsed.scheme in ("postgres", "postgresql"):
        if not parsed.path.strip("/"):
            raise ImproperlyConfigured(f"DATABASE_URL {url!r} names no database")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "TEST": {"NAME": "test_" + unquote(parsed.path.lstrip("/"))},
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {parsed.scheme!r} is not supported (use sqlite:/// or postgresql://)"
    )
