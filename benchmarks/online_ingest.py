"""Benchmark of ingestion through the HTTP API (not a test): events/s in 10k-event batches.

    .venv/bin/python benchmarks/online_ingest.py [--events 300000] [--batch 10000]

Sets up a throw-away database and event store under ``--dir``, registers a platform's code and
issues an API token to its user,
then POSTs the batches to ``/api/v1/online/platforms/<code>/events`` through Django's full
request stack (test client: middleware, token check, parsing, validation of every row,
duplicate check, atomic Parquet write), once as NDJSON and once as Parquet. Encoding the
batches is not timed.
"""

# Local benchmark over files it generates itself: SQL is built from its own paths.
# ruff: noqa: S608, S106

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=300_000)
    ap.add_argument("--batch", type=int, default=10_000)
    ap.add_argument("--dir", type=Path, default=ROOT / "var" / "bench-online-ingest")
    args = ap.parse_args()
    if args.dir.exists():
        shutil.rmtree(args.dir)
    args.dir.mkdir(parents=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{args.dir / 'db.sqlite3'}"
    os.environ["CHIZHENG_ONLINE_DIR"] = str(args.dir / "store")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")  # test keys
    import django

    django.setup()
    import duckdb
    from django.core.management import call_command
    from django.test import Client

    from benchmarks.machine import describe
    from chizheng.accounts.models import Role, User
    from chizheng.accounts.tokens import token_issue
    from chizheng.online import generator
    from chizheng.online.platforms import platform_code_register
    from chizheng.org.models import County, Department
    from chizheng.org.services import load_reference
    from chizheng.registry.models import Institution

    call_command("migrate", verbosity=0)
    city = load_reference()
    office = User.objects.create_user(
        username="bench-office", password="x-Bench-12345", role=Role.PROGRAMME_OFFICE, city=city
    )
    inst = Institution.objects.create(
        name="基准测试平台",
        credit_code="91410400BENCH00001",
        kind=Institution.Kind.PLATFORM,
        county=County.objects.get(code="410402"),
        department=Department.objects.first(),
    )

    def issue_platform_token(platform: Institution, code: str) -> str:
        platform_code_register(actor=office, institution=platform, code=code)
        uploader = User.objects.create_user(
            username=f"bench-{code}",
            password="x-Bench-12345",
            role=Role.PLATFORM,
            institution=platform,
        )
        return token_issue(actor=uploader, name="benchmark", days=30)[1]

    token = issue_platform_token(inst, "PF1")

    learners = max(1, args.events * 3 // generator.EVENTS_PER_LEARNER + 1)
    gen = generator.generate(args.dir / "log", learners=learners, seed=11, duplicates=0.0)
    files = [str(f) for f in gen.files if f.name.endswith("-PF1.parquet")]
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    listing = ", ".join(f"'{f}'" for f in files)
    rows = con.sql(f"SELECT count(*) FROM read_parquet([{listing}])").fetchall()[0][0]
    n = min(args.events, rows) // args.batch * args.batch
    batches_nd: list[bytes] = []
    batches_pq: list[bytes] = []
    for i in range(0, n, args.batch):
        sel = (
            f"SELECT * FROM read_parquet([{listing}]) ORDER BY event_id "
            f"LIMIT {args.batch} OFFSET {i}"
        )
        out = args.dir / "b.ndjson"
        con.execute(
            f"COPY (SELECT event_id, platform, learner, session, course, lesson, "
            f"strftime(ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS ts, kind, pos, rate, ok FROM ({sel})) "
            f"TO '{out}' (FORMAT json)"
        )
        batches_nd.append(out.read_bytes())
        outp = args.dir / "b.parquet"
        con.execute(f"COPY ({sel}) TO '{outp}' (FORMAT parquet)")
        batches_pq.append(outp.read_bytes())

    client = Client()
    # warm up (URL conf, imports, the index connection), not timed
    client.get("/api/v1/online/platforms/PF1/batches", HTTP_AUTHORIZATION=f"Bearer {token}")
    print(describe())
    print(
        f"{n:,} events in batches of {args.batch:,}, through POST /api/v1/online/platforms/PF1/events"
    )
    for label, batches, ctype, code in [
        ("NDJSON", batches_nd, "application/x-ndjson", "PF1"),
        (
            "Parquet (same events again: all duplicates)",
            batches_pq,
            "application/vnd.apache.parquet",
            "PF1",
        ),
    ]:
        t0 = time.perf_counter()
        stored = 0
        for body in batches:
            r = client.post(
                f"/api/v1/online/platforms/{code}/events",
                data=body,
                content_type=ctype,
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
            if r.status_code != 200:
                raise SystemExit(f"upload failed: {r.status_code} {r.content[:500]!r}")
            stored += r.json()["stored"]
        secs = time.perf_counter() - t0
        print(f"{label:>45}: {secs:6.2f} s, {n / secs:>10,.0f} events/s, stored {stored:,}")
    # a fresh platform for Parquet with new events
    inst2 = Institution.objects.create(
        name="基准测试平台二",
        credit_code="91410400BENCH00002",
        kind=Institution.Kind.PLATFORM,
        county=County.objects.get(code="410402"),
        department=Department.objects.first(),
    )
    token2 = issue_platform_token(inst2, "PF9")
    fresh = [_drop_platform(b) for b in batches_pq]  # the platform column says PF1
    t0 = time.perf_counter()
    stored = 0
    for body in fresh:
        r = client.post(
            "/api/v1/online/platforms/PF9/events",
            data=body,
            content_type="application/vnd.apache.parquet",
            HTTP_AUTHORIZATION=f"Bearer {token2}",
        )
        if r.status_code != 200:
            raise SystemExit(f"upload failed: {r.status_code} {r.content[:500]!r}")
        stored += r.json()["stored"]
    secs = time.perf_counter() - t0
    print(
        f"{'Parquet (new events)':>45}: {secs:6.2f} s, {n / secs:>10,.0f} events/s, stored {stored:,}"
    )


def _drop_platform(body: bytes) -> bytes:
    import io

    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(body))
    table = table.drop_columns(["platform"])
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


if __name__ == "__main__":
    main()
