"""Load test: concurrent users through the role journeys against ``chizheng serve`` on
PostgreSQL (issue 11: 50 users for 5 minutes, 0 errors, p95 per page).

Not a timed test. In a scratch PostgreSQL database and a scratch var directory it loads the
demo (``chizheng demo --no-serve``, production settings with keys of its own), starts the
production server and a job worker on 127.0.0.1, drives ``benchmarks/load/locustfile.py``
with locust (headless, in a subprocess, bounded by ``--minutes``), then stops both servers by
their PIDs and prints, per kind of page, the requests, the failures and the median and 95th
percentile of the response time — and each page's p95 as a multiple of ``/healthz``'s in the
same run (one query: the floor of what a request costs on this server).

    .venv/bin/python benchmarks/load_test.py --users 50 --minutes 5
    .venv/bin/python benchmarks/load_test.py --users 10 --minutes 1    # a quick look
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.machine import describe  # noqa: E402

BIN = ROOT / ".venv" / "bin"
LOCUSTFILE = ROOT / "benchmarks" / "load" / "locustfile.py"
START_S = 180  # the server's start (collectstatic on a cold var directory) and the worker's
STOP_S = 30


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(var: Path, database: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CHIZHENG_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env.update(CHIZHENG_VAR_DIR=str(var), DATABASE_URL=database)
    return env


def _database(url_base: str, name: str, *, fresh: bool) -> str:
    import psycopg

    with psycopg.connect(f"{url_base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"{url_base}/{name}"


def _wait_healthy(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit("the server did not become healthy in time")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=STOP_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _report(stats: Path) -> int:
    rows = list(csv.DictReader(stats.open(encoding="utf-8")))
    pages = [r for r in rows if r["Name"] != "Aggregated"]
    total = next(r for r in rows if r["Name"] == "Aggregated")
    floor = next((float(r["95%"]) for r in pages if r["Name"] == "/healthz"), None)
    print(
        f"{'page':<34} {'requests':>8} {'failures':>8} {'median ms':>10} {'p95 ms':>8} {'p95 / healthz':>14}"
    )
    for r in sorted(pages, key=lambda r: -float(r["95%"])):
        ratio = f"{float(r['95%']) / floor:.1f}×" if floor else "—"
        print(
            f"{r['Name']:<34} {r['Request Count']:>8} {r['Failure Count']:>8} "
            f"{float(r['Median Response Time']):>10.0f} {float(r['95%']):>8.0f} {ratio:>14}"
        )
    failures = int(total["Failure Count"])
    print(
        f"{'all pages':<34} {total['Request Count']:>8} {failures:>8} "
        f"{float(total['Median Response Time']):>10.0f} {float(total['95%']):>8.0f}"
        f"   {float(total['Requests/s']):.1f} requests/s"
    )
    return failures


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--minutes", type=float, default=5)
    ap.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    ap.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    ap.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    ap.add_argument("--database", default="chizheng_bench_load")
    ap.add_argument("--keep", action="store_true", help="reuse the database and demo of a last run")
    args = ap.parse_args()

    var = Path(tempfile.gettempdir()) / f"{args.database}-var"
    var.mkdir(exist_ok=True)
    env = _env(var, _database(args.postgres, args.database, fresh=not args.keep))
    print(f"machine: {describe()}; PostgreSQL at {args.postgres}")
    started = time.monotonic()
    subprocess.run(  # noqa: S603 (the project's own command)
        [BIN / "chizheng", "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL
    )
    print(f"demo loaded in {time.monotonic() - started:.0f} s")
    env["CHIZHENG_ENV_FILE"] = str(var / "local.env")

    port = _free_port()
    log = (var / "servers.log").open("wb")
    server = subprocess.Popen(  # noqa: S603 (the project's own command)
        [
            BIN / "chizheng",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--no-access-log",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(  # noqa: S603 (the project's own command)
        [BIN / "chizheng", "worker"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        _wait_healthy(port, time.monotonic() + START_S)
        out = var / "locust"
        seconds = int(args.minutes * 60)
        print(
            f"{args.users} users for {seconds} s against http://127.0.0.1:{port} "
            f"({args.workers} gunicorn workers × {args.threads} threads, a job worker beside it)"
        )
        subprocess.run(  # noqa: S603 - locust of this environment, bounded by --run-time and timeout
            [
                BIN / "locust",
                "-f",
                str(LOCUSTFILE),
                "--headless",
                "--host",
                f"http://127.0.0.1:{port}",
                "-u",
                str(args.users),
                "-r",
                str(max(1, args.users // 10)),
                "--run-time",
                f"{seconds}s",
                "--stop-timeout",
                "10",
                "--csv",
                str(out),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=env,
            timeout=seconds + 120,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=(var / "locust.log").open("wb"),
        )
    finally:
        _stop(server)
        _stop(worker)
        log.close()
    failures = _report(Path(f"{out}_stats.csv"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
