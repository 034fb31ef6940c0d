"""`chizheng serve` runs the production server: it answers, serves hashed and compressed static
files with a far-future cache header, and stops on SIGTERM to its PID within a time bound.
A `chizheng worker` runs beside it, as in production, so /healthz reports the job queue
healthy."""

from __future__ import annotations

import gzip
import http.client
import json
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import CHIZHENG, ROOT, run

START_SECONDS = 120  # collectstatic on a busy 2-core machine, then gunicorn's boot
STOP_SECONDS = 20  # gunicorn's graceful timeout (10 s) and the interpreter's exit


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(
    port: int, path: str, headers: dict[str, str] | None = None
) -> tuple[http.client.HTTPResponse, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response, body


@pytest.fixture
def server(
    production_env: dict[str, str], tmp_path: Path
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    migrated = run([str(CHIZHENG), "migrate", "--verbosity", "0"], production_env, timeout=300)
    assert migrated.returncode == 0, migrated.stderr
    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    worker = subprocess.Popen(  # noqa: S603 (the project's own command)
        [str(CHIZHENG), "worker"],
        cwd=ROOT,
        env=production_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    proc = subprocess.Popen(  # noqa: S603 (the project's own command)
        [str(CHIZHENG), "serve", "--port", str(port), "--workers", "1", "--threads", "2"],
        cwd=ROOT,
        env=production_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            _get(port, "/healthz")
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("server did not start:\n" + (tmp_path / "serve.log").read_text())
            time.sleep(0.3)
    try:
        yield port, proc
    finally:
        for p in (proc, worker):
            if p.poll() is None:
                p.kill()
                p.wait()
        log.close()


def test_serve_answers_serves_static_files_and_stops(
    server: tuple[int, subprocess.Popen[bytes]],
) -> None:
    port, proc = server

    deadline = time.monotonic() + START_SECONDS  # the worker's first heartbeat
    response, body = _get(port, "/healthz")
    while response.status != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
        response, body = _get(port, "/healthz")
    assert response.status == 200, body
    assert json.loads(body)["status"] == "ok"
    assert response.getheader("Server", "").startswith("gunicorn")

    response, body = _get(port, "/login/")
    assert response.status == 200
    assert "default-src 'self'" in response.getheader("Content-Security-Policy", "")
    assert response.getheader("X-Frame-Options") == "DENY"
    page = body.decode()
    match = re.search(r'src="(/static/vendor/htmx/htmx\.min\.[0-9a-f]{12}\.js)"', page)
    assert match, "the page names htmx by its hashed name"

    response, body = _get(port, match.group(1), {"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    cache = response.getheader("Cache-Control", "")
    max_age = int(re.search(r"max-age=(\d+)", cache).group(1))  # type: ignore[union-attr]
    assert max_age >= 365 * 24 * 3600 and "immutable" in cache
    assert gzip.decompress(body) == (ROOT / "node_modules/htmx.org/dist/htmx.min.js").read_bytes()

    # Only the hashed name is served: a cached page never meets a changed file.
    assert _get(port, "/static/vendor/htmx/htmx.min.js")[0].status == 404
    response, _ = _get(port, "/favicon.ico")
    assert response.status == 302
    assert re.fullmatch(
        r"/static/chizheng/favicon\.[0-9a-f]{12}\.svg", response.getheader("Location", "")
    )

    # A kept-alive connection outlives the pause between two pages (gunicorn's own default
    # closed it after 2 s, and the next request on it got no answer).
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/healthz")
    conn.getresponse().read()
    time.sleep(3)
    conn.request("GET", "/healthz")
    assert conn.getresponse().status in (200, 503)
    conn.close()

    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=STOP_SECONDS) == 0
    assert time.monotonic() - started < STOP_SECONDS
    with pytest.raises(OSError):
        _get(port, "/healthz")


def test_serve_refuses_debug(production_env: dict[str, str]) -> None:
    r = run([str(CHIZHENG), "serve"], {**production_env, "CHIZHENG_DEBUG": "1"})
    assert r.returncode != 0
    assert "CHIZHENG_DEBUG" in r.stderr


def test_serve_refuses_a_bad_port(production_env: dict[str, str]) -> None:
    r = run([str(CHIZHENG), "serve", "--port", "70000"], production_env)
    assert r.returncode != 0
    assert "端口 70000 不在 1–65535 之内" in r.stderr
