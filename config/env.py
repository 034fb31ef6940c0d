"""Settings from the environment, failing loudly on a malformed value."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import ipaddress
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured


def load_env_file(path: Path) -> None:
    """Read KEY=VALUE lines into the environment without overriding what is already set."""
    if not path.is_file():
        raise ImproperlyConfigured(f"CHIZHENG_ENV_FILE={str(path)!r} names no file")
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip())


def required(names: list[str], check: dict[str, Any] | None = None) -> dict[str, str]:
    """The values of ``names``; one error naming every variable that is missing or malformed.

    ``check`` maps a name to a function that raises ``ValueError`` (with the reason) on a bad
    value."""
    values: dict[str, str] = {}
    problems: list[str] = []
    for name in names:
        value = os.environ.get(name, "").strip()
        if not value:
            problems.append(f"{name} is not set")
            continue
        try:
            if check and name in check:
                check[name](value)
        except ValueError as e:
            problems.append(f"{name} {e}")
            continue
        values[name] = value
    if problems:
        raise ImproperlyConfigured(
            "; ".join(problems) + ". Set them in the environment (see "
            "deploy/production.env.example), or name a file that sets them with "
            "CHIZHENG_ENV_FILE (the demo's is var/local.env, written by `chizheng demo`)."
        )
    return values


def key_of_32_bytes(value: str) -> None:
    """A key for personal data: 32 random bytes in base64."""
    try:
        key = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("is not valid base64") from None
    if len(key) != 32:
        raise ValueError(f"must decode to 32 bytes, got {len(key)}")


def get_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false)")


def get_int(name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at most {maximum}")
    return value


def get_float(name: str, default: float, *, minimum: float, maximum: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number") from None
    if not minimum <= value <= maximum:
        raise ImproperlyConfigured(f"{name}={raw!r} is outside {minimum}..{maximum}")
    return value


def get_time(name: str, default: str) -> dt.time:
    """A local time of day, ``HH:MM``."""
    raw = os.environ.get(name, "").strip() or default
    try:
        return dt.datetime.strptime(raw, "%H:%M").time()
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a time of day (HH:MM)") from None


def get_list(name: str, default: str = "") -> list[str]:
    """A comma-separated list; empty items are dropped."""
    raw = os.environ.get(name, default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def get_networks(name: str) -> list[str]:
    """Comma-separated IP addresses or networks (``10.0.0.5``, ``10.0.0.0/24``, ``::1``)."""
    items = get_list(name)
    for item in items:
        try:
            ipaddress.ip_network(item, strict=True)
        except ValueError as e:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not an IP address or network ({e})"
            ) from None
    return items


_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:*]+$")


def get_origins(name: str) -> list[str]:
    """Comma-separated origins: scheme and host (and port), no path: ``https://host.example``."""
    items = get_list(name)
    for item in items:
        if not _ORIGIN.match(item):
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not an origin (scheme://host[:port], no path)"
            )
    return items


_HEADER = re.compile(r"^[A-Za-z0-9-]+$")


def get_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """A header name (``X-Forwarded-Proto``) the proxy sets to ``https``, as Django's
    ``SECURE_PROXY_SSL_HEADER`` wants it; ``None`` when unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    if not _HEADER.match(raw):
        raise ImproperlyConfigured(f"{name}={raw!r} is not a header name (e.g. X-Forwarded-Proto)")
    return ("HTTP_" + raw.upper().replace("-", "_"), "https")


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
