"""The production server: gunicorn running the project's WSGI application (docs/adr/0002).

The process that calls ``serve`` becomes gunicorn's master: its PID is the one to stop
(SIGTERM: the workers finish their requests, then everything exits), and under systemd it
reports itself ready (``Type=notify``). The application is loaded once in the master and
the workers are forked from it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.db import connections
from gunicorn.app.base import BaseApplication

# The request line without its query string: queries can hold a searched ID number or phone,
# which never goes into a log (CONTRIBUTING.md).
ACCESS_LOG_FORMAT = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'


def _sources_fingerprint() -> str:
    """What `collectstatic` would collect: every source file's static name, size and time."""
    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    entries = []
    for finder in get_finders():
        for path, storage in finder.list([]):
            name = os.path.join(getattr(storage, "prefix", None) or "", path)
            stat = os.stat(storage.path(path))
            entries.append(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode("utf-8", "surrogateescape") + b"\n")
    return digest.hexdigest()


def collect_static() -> bool:
    """Collect, hash and compress the static files into STATIC_ROOT, unless nothing changed
    since the last collection (a restart then costs nothing). True when it collected."""
    stamp = Path(settings.STATIC_ROOT) / ".sources"
    fingerprint = _sources_fingerprint()
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file() and stamp.is_file() and stamp.read_text() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(fingerprint)
    return True


def default_workers() -> int:
    """gunicorn's rule of thumb: two per core, plus one."""
    return 2 * (os.cpu_count() or 1) + 1


@dataclass(frozen=True)
class Options:
    host: str
    port: int
    workers: int
    threads: int
    timeout: int
    access_log: bool
    keepalive: int = 20


class _Application(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from config.wsgi import application

        return application


def gunicorn_options(options: Options) -> dict[str, Any]:
    host = f"[{options.host}]" if ":" in options.host else options.host
    return {
        "bind": [f"{host}:{options.port}"],
        "workers": options.workers,
        # Threads let a worker go on while one of its requests waits on the database or a
        # slow client; the ORM keeps one connection per thread.
        "worker_class": "gthread",
        "threads": options.threads,
        "timeout": options.timeout,
        # How long an idle kept-alive connection stays open. gunicorn's default (2 s) is
        # shorter than the pause between two pages of a person at work, and a client that
        # sends its next request on a connection the server is closing at that moment gets
        # no answer at all (the load test saw it, and at 5 s still once on a busy machine).
        # gthread keeps idle connections in its poller, not in a thread, so a long wait is
        # cheap. Behind the proxy, set it above the proxy's own idle timeout for upstream
        # connections (deploy/chizheng.service).
        "keepalive": options.keepalive,
        "graceful_timeout": 10,
        "preload_app": True,
        "proc_name": "chizheng",
        "accesslog": "-" if options.access_log else None,
        "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": "-",
        # The proxy's X-Forwarded-Proto counts only from the trusted proxies (the default: this
        # machine); Django reads it through SECURE_PROXY_SSL_HEADER.
        "forwarded_allow_ips": ",".join(settings.TRUSTED_PROXIES) or "127.0.0.1,::1",
        # No runtime control socket: one more thing listening, and two servers on a machine
        # would fight over its default path.
        "control_socket_disable": True,
    }


def serve(options: Options) -> None:
    """Run until stopped. Connections the caller opened (migrations, the demo's data) are
    closed first: a forked worker must never share its parent's database connection."""
    connections.close_all()
    _Application(gunicorn_options(options)).run()
