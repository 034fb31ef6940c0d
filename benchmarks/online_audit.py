"""Benchmark of the online-learning audit (not a test): time, events/s and peak memory.

    .venv/bin/python benchmarks/online_audit.py --sizes 1M,10M,30M [--threads 2]

For each size it generates a log once (``chizheng online generate``, cached under
``--dir``), then runs, each in a fresh process so that peak memory is that run's own:

- ``fast``: the audit as shipped (``duckdb``), de-duplicating on (platform, event_id);
- ``fast-unique``: the same query without the de-duplication pass, as run on the store
  (ingestion keeps it free of duplicates);
- ``baseline``: the simple, straightforward SQL (string-keyed windows, every CTE as is).

Every run's result is compared with the generator's expected result on every segment.
The benchmark logs are generated without duplicate rows so that all three runs see the
same events.
"""

# Local benchmark over files it generates itself: SQL is built from its own paths.
# ruff: noqa: S603, S608

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EVENTS_PER_LEARNER = 2030  # measured from the generator's defaults


def parse_size(text: str) -> int:
    text = text.strip().upper()
    mult = {"K": 1_000, "M": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("KM")) * mult)


def machine() -> str:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import duckdb

    return (
        f"CPU: {model}; cores available: {cores}; RAM: {mem:.0f} GiB; "
        f"Python {platform.python_version()}; DuckDB {duckdb.__version__}"
    )


def ensure_log(base: Path, size: int) -> Path:
    out = base / f"log-{size}"
    marker = out / "generated.json"
    if marker.exists():
        return out
    from chizheng.online import generator

    learners = max(1, round(size / EVENTS_PER_LEARNER))
    t0 = time.perf_counter()
    g = generator.generate(out, learners=learners, seed=2022, duplicates=0.0, learners_per_file=500)
    marker.write_text(
        json.dumps(
            {"events": g.events, "segments": g.segments, "seconds": time.perf_counter() - t0}
        )
    )
    return out


def run_child(engine: str, log: Path, threads: int, memory_limit: str) -> dict[str, object]:
    cmd = [
        sys.executable,
        __file__,
        "--child",
        engine,
        "--log",
        str(log),
        "--threads",
        str(threads),
        "--memory-limit",
        memory_limit,
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"{engine} run failed ({status}): {out}")
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    result["peak_rss_mib"] = usage.ru_maxrss / 1024
    return result


def child(engine: str, log: Path, threads: int, memory_limit: str) -> None:
    os.environ.setdefault("CHIZHENG_POLICY_DIR", str(ROOT / "policy"))
    import duckdb
    import pyarrow.parquet as pq

    from chizheng.online import audit

    files = sorted((log / "events").glob("*.parquet"))
    name = {"fast": "duckdb", "fast-unique": "duckdb", "baseline": "duckdb-baseline"}[engine]
    before = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    table = audit.audit(
        files,
        engine=name,  # type: ignore[arg-type]
        threads=threads,
        memory_limit=memory_limit or None,
        unique=engine == "fast-unique",
    )
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result = log / f"result-{engine}.parquet"
    pq.write_table(table, result)
    con = duckdb.connect()
    exp, got = str(log / "expected.parquet"), str(result)
    diff = con.sql(
        f"SELECT (SELECT count(*) FROM (SELECT * FROM '{got}' EXCEPT ALL SELECT * FROM '{exp}')) "
        f"+ (SELECT count(*) FROM (SELECT * FROM '{exp}' EXCEPT ALL SELECT * FROM '{got}'))"
    ).fetchall()[0][0]
    print(
        json.dumps(
            {"seconds": seconds, "cpu_s": cpu, "segments": table.num_rows, "mismatches": diff}
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1M,10M,30M")
    ap.add_argument("--engines", default="fast,fast-unique,baseline")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--memory-limit", default="2GB", help="DuckDB memory_limit (spills beyond)")
    ap.add_argument("--dir", type=Path, default=ROOT / "var" / "bench-online")
    ap.add_argument("--child", default="")
    ap.add_argument("--log", type=Path)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.log, args.threads, args.memory_limit)
        return
    print(machine())
    print(
        f"threads={args.threads} memory_limit={args.memory_limit} "
        f"load average at start: {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{'events':>12} {'engine':>12} {'seconds':>8} {'events/s':>12} {'ns/event':>9} "
        f"{'peak MiB':>9} {'segments':>9} {'mismatch':>8} {'load':>5} {'cpu s':>7}"
    )
    for size in [parse_size(s) for s in args.sizes.split(",")]:
        log = ensure_log(args.dir, size)
        meta = json.loads((log / "generated.json").read_text())
        events = meta["events"]
        for engine in args.engines.split(","):
            r = run_child(engine, log, args.threads, args.memory_limit)
            secs = float(r["seconds"])  # type: ignore[arg-type]
            print(
                f"{events:>12,} {engine:>12} {secs:>8.2f} {events / secs:>12,.0f} "
                f"{secs / events * 1e9:>9.0f} {r['peak_rss_mib']:>9.0f} {r['segments']:>9,} "
                f"{r['mismatches']:>8} {os.getloadavg()[0]:>5.1f} {r['cpu_s']:>7.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
