"""Benchmark: the history check of a roster (cooldown, §20(3)) against 5,000,000 earlier
enrolments and assessments on PostgreSQL — one roster of 80, and 10,000 rosters in a batch.

Owns a scratch database, ``chizheng_bench_rules`` (created if missing; nothing of the app's
schema), with one table shaped as the training app will keep its history:

    enrolment_history(person_key bytea,   -- blind index of the ID number (HMAC-SHA256, 32 B)
                      class_ref bigint, started_on date, assessed_on date NULL)
    index enrolment_history_person (person_key, started_on) INCLUDE (assessed_on, class_ref)

The generator (``--fresh``) writes ``--rows`` enrolments of ``rows / 2.5`` people over
2018–2022, with a seeded random: 3% of the trainings of 2022-09 onwards are not yet
assessed. The person key here is SHA-256 of the person number (both in SQL and Python), a
stand-in for the app's HMAC blind index: same size, same spread.

What is timed (warm cache, medians of repeated runs):

1. *one roster*: fetch the history that can matter for 80 trainees in ONE query
   (``person_key = ANY(...)`` with the cooldown window pushed into SQL), then run EVERY rule
   of the class application and its 80 enrolments with ``chizheng.rules.evaluate``;
   baseline: one query per trainee fetching his whole history, then the same rules.
2. *10,000 rosters*: COPY the 800,000 roster lines into a temporary table and fetch every
   relevant history row with ONE join, then run the cooldown rule on the enrolments that
   have one; baseline: one query per trainee, timed on a sample and scaled.

Both ways are checked to give the same failing enrolments. Figures on the 2-core machine
(shared, load 3.5–4.4): one roster, query + all rules, median 2.8–11 ms (baseline 13–23 ms);
10,000 rosters 7.9–21 s (baseline ≈163–343 s). Run:

    .venv/bin/python benchmarks/rules_history.py --fresh      # generate (≈2 min) and time
    .venv/bin/python benchmarks/rules_history.py              # time again

``CHIZHENG_BENCH_PG`` overrides the server URL (default postgresql://postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import statistics
import struct
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from chizheng.core import ids
from chizheng.rules import params
from chizheng.rules.evaluate import evaluate
from chizheng.rules.facts import (
    CatalogEntry,
    ClassApplication,
    Enrolment,
    Institution,
    PriorTraining,
    Trainee,
)
from chizheng.rules.trainee_rules import cooldown

DB = "chizheng_bench_rules"
SERVER = os.environ.get("CHIZHENG_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
ROSTER = 80
START = dt.date(2022, 11, 7)

# The cooldown window in SQL, the same test as trainee_rules.cooldown: an earlier training
# matters if it started before this class and is not assessed by its start, or was assessed
# less than N months before it. PostgreSQL's date + interval 'N months' clamps to the month's
# end like decision.add_months.
ONE_ROSTER = """
    SELECT h.person_key, h.class_ref, h.started_on, h.assessed_on FROM enrolment_history h
    WHERE h.person_key = ANY(%(keys)s) AND h.started_on < %(start)s
      AND (h.assessed_on IS NULL OR h.assessed_on > %(start)s
           OR h.assessed_on + make_interval(months => %(months)s) > %(start)s)
"""
BATCH = """
    SELECT r.roster_id, r.person, h.class_ref, h.started_on, h.assessed_on
    FROM roster_batch r JOIN enrolment_history h ON h.person_key = r.person_key
    WHERE h.started_on < r.start_date
      AND (h.assessed_on IS NULL OR h.assessed_on > r.start_date
           OR h.assessed_on + make_interval(months => %(months)s) > r.start_date)
"""


def person_key(person: int) -> bytes:
    return hashlib.sha256(struct.pack(">q", person)).digest()


def connect(db: str = DB, autocommit: bool = False) -> psycopg.Connection[Any]:
    return psycopg.connect(f"{SERVER}/{db}", autocommit=autocommit)


def generate(rows: int) -> None:
    with connect("postgres", autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB,)).fetchone():
            c.execute(f'CREATE DATABASE "{DB}"')
    people = int(rows / 2.5)
    t = time.perf_counter()
    with connect() as c:
        c.execute("DROP TABLE IF EXISTS enrolment_history")
        c.execute(
            "CREATE TABLE enrolment_history (person_key bytea NOT NULL, class_ref bigint NOT NULL,"
            " started_on date NOT NULL, assessed_on date)"
        )
        c.execute("SELECT setseed(0.42)")
        c.execute(
            """
            INSERT INTO enrolment_history
            SELECT sha256(int8send(p)), g, d,
                   CASE WHEN d >= date '2022-09-01' AND random() < 0.03 THEN NULL
                        ELSE d + 20 + (random() * 60)::int END
            FROM (SELECT g, (g %% %(people)s) AS p,
                         date '2018-01-01' + (random() * 1795)::int AS d
                  FROM generate_series(1, %(rows)s) g) s
            """,
            {"people": people, "rows": rows},
        )
        c.execute(
            "CREATE INDEX enrolment_history_person ON enrolment_history (person_key, started_on)"
            " INCLUDE (assessed_on, class_ref)"
        )
    with connect(autocommit=True) as c:
        c.execute("VACUUM ANALYZE enrolment_history")
    print(f"generated {rows:,} enrolments of {people:,} people in {time.perf_counter() - t:.0f} s")


def people_count() -> int:
    with connect() as c:
        n = c.execute("SELECT count(*) FROM enrolment_history").fetchone()
    return int(n[0] / 2.5) if n else 0


def make_roster(rng: random.Random, people: int, roster_no: int) -> list[tuple[int, str]]:
    """80 trainees: 3 in 4 with a history, the rest new (numbers beyond the generated ones)."""
    out = []
    for i in range(ROSTER):
        person = rng.randrange(people) if rng.random() < 0.75 else people + rng.randrange(10**7)
        number = ids.make("410402", dt.date(1970, 1, 1) + dt.timedelta(days=person % 15000), i)
        out.append((person, number))
    return out


def application(
    roster: list[tuple[int, str]], history: dict[int, list[PriorTraining]]
) -> ClassApplication:
    trainees = tuple(
        Trainee(ref=str(i + 1), id_number=number, history=tuple(history.get(person, ())))
        for i, (person, number) in enumerate(roster)
    )
    return ClassApplication(
        ref="BENCH",
        institution=Institution("I", catalog=(CatalogEntry("4-10-01-05", dt.date(2022, 1, 1)),)),
        occupation="4-10-01-05",
        level=4,
        start_date=START,
        planned_trainees=ROSTER,
        teachers=4,
        workstations=4,
        class_hour_minutes=45,
        class_hours=80,
        practical_hours=48,
        certificate_type="skill_level",
        certificates_available=("skill_level",),
        roster=trainees,
    )


def _rows_to_history(
    rows: Iterable[tuple[Any, ...]], by_key: dict[bytes, int]
) -> dict[int, list[PriorTraining]]:
    out: dict[int, list[PriorTraining]] = defaultdict(list)
    for key, class_ref, started, assessed in rows:
        out[by_key[bytes(key)]].append(PriorTraining(str(class_ref), started, assessed))
    return out


def fetch_relevant(
    c: psycopg.Connection[Any], roster: list[tuple[int, str]], months: int
) -> dict[int, list[PriorTraining]]:
    keys = {person_key(p): p for p, _ in roster}
    rows = c.execute(ONE_ROSTER, {"keys": list(keys), "start": START, "months": months}).fetchall()
    return _rows_to_history(rows, keys)


def check_roster_set(
    c: psycopg.Connection[Any], roster: list[tuple[int, str]], months: int
) -> list[str]:
    report = evaluate(application(roster, fetch_relevant(c, roster, months)), on=START)
    return sorted(d.subject for d in report.failed)


def check_roster_baseline(c: psycopg.Connection[Any], roster: list[tuple[int, str]]) -> list[str]:
    history: dict[int, list[PriorTraining]] = {}
    for person, _ in roster:
        rows = c.execute(
            "SELECT person_key, class_ref, started_on, assessed_on FROM enrolment_history"
            " WHERE person_key = %s",
            (person_key(person),),
        ).fetchall()
        history[person] = _rows_to_history(rows, {person_key(person): person})[person]
    report = evaluate(application(roster, history), on=START)
    return sorted(d.subject for d in report.failed)


def _ms(samples: list[float]) -> str:
    q = statistics.quantiles(samples, n=20)
    return f"median {statistics.median(samples) * 1000:.1f} ms, p95 {q[18] * 1000:.1f} ms"


def bench_one(people: int, months: int, runs: int) -> None:
    rng = random.Random(7)
    rosters = [make_roster(rng, people, n) for n in range(runs)]
    with connect() as c:
        for r in rosters[:5]:  # warm the cache and the plan
            check_roster_set(c, r, months)
        fast, slow, query = [], [], []
        for r in rosters:
            t = time.perf_counter()
            fetch_relevant(c, r, months)
            query.append(time.perf_counter() - t)
            t = time.perf_counter()
            got = check_roster_set(c, r, months)
            fast.append(time.perf_counter() - t)
            t = time.perf_counter()
            want = check_roster_baseline(c, r)
            slow.append(time.perf_counter() - t)
            assert got == want, (got, want)
    print(f"one roster of {ROSTER}, history query, first touch: {_ms(query)}")
    print(f"one roster of {ROSTER}, query + all rules:         {_ms(fast)}")
    print(
        f"one roster of {ROSTER}, baseline {ROSTER} queries:     {_ms(slow)}"
        f"  (ratio {statistics.median(slow) / statistics.median(fast):.1f}×)"
    )


def bench_batch(people: int, months: int, rosters: int, sample: int) -> None:
    rng = random.Random(11)
    lines = [(n, p, num) for n in range(rosters) for p, num in make_roster(rng, people, n)]
    with connect() as c:
        t0 = time.perf_counter()
        c.execute(
            "CREATE TEMP TABLE roster_batch (roster_id int, person bigint, person_key bytea,"
            " start_date date) ON COMMIT DROP"
        )
        with c.cursor().copy("COPY roster_batch FROM STDIN") as copy:
            for n, p, _ in lines:
                copy.write_row((n, p, person_key(p), START))
        c.execute("ANALYZE roster_batch")
        # One hash join of 800k lines with 5M rows: give it the memory to stay in one batch.
        c.execute("SET LOCAL work_mem = '256MB'")
        t1 = time.perf_counter()
        rows = c.execute(
            BATCH,
            {"months": months},
        ).fetchall()
        t2 = time.perf_counter()
        history: dict[tuple[int, int], list[PriorTraining]] = defaultdict(list)
        for roster_id, person, class_ref, started, assessed in rows:
            history[(roster_id, person)].append(PriorTraining(str(class_ref), started, assessed))
        at = params.current().at(START)
        app = application([], {})
        failing = set()
        for (roster_id, person), h in history.items():
            d = cooldown(Enrolment(Trainee(str(person), "", history=tuple(h)), app), at)
            if d is not None and d.failed:
                failing.add((roster_id, person))
        t3 = time.perf_counter()
        c.rollback()

        # Baseline on a sample: one query per trainee, his whole history, then the rule.
        sample_lines = lines[:sample]
        t4 = time.perf_counter()
        base_failing = set()
        for n, p, _ in sample_lines:
            rs = c.execute(
                "SELECT class_ref, started_on, assessed_on FROM enrolment_history WHERE person_key = %s",
                (person_key(p),),
            ).fetchall()
            whole = tuple(PriorTraining(str(cr), s, a) for cr, s, a in rs)
            d = cooldown(Enrolment(Trainee(str(p), "", history=whole), app), at)
            if d is not None and d.failed:
                base_failing.add((n, p))
        t5 = time.perf_counter()
    in_sample = {(n, p) for n, p, _ in sample_lines}
    assert failing & in_sample == base_failing, "set-based and per-trainee disagree"
    per_line = (t5 - t4) / len(sample_lines)
    total = t3 - t0
    print(
        f"{rosters:,} rosters = {len(lines):,} lines, set-based: {total:.2f} s total "
        f"(load {t1 - t0:.2f} s, one join {t2 - t1:.2f} s → {len(rows):,} relevant rows, "
        f"rule on {len(history):,} enrolments {t3 - t2:.2f} s); {len(failing):,} fail the cooldown"
    )
    print(
        f"baseline, one query per trainee: {per_line * 1e3:.3f} ms/line on {len(sample_lines):,} lines"
        f" → {per_line * len(lines):.0f} s for the batch (ratio {per_line * len(lines) / total:.0f}×)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--fresh", action="store_true", help="(re)generate the history table")
    ap.add_argument("--rows", type=int, default=5_000_000)
    ap.add_argument("--runs", type=int, default=40, help="rosters timed one by one")
    ap.add_argument("--rosters", type=int, default=10_000)
    ap.add_argument("--sample", type=int, default=5_000, help="lines for the per-trainee baseline")
    args = ap.parse_args()
    if args.fresh:
        generate(args.rows)
    people = people_count()
    months: int = params.current().at(START)["trainee.cooldown_months"]
    print(
        f"history: ≈{people * 2.5:,.0f} enrolments of ≈{people:,} people; cooldown {months} month(s)"
    )
    bench_one(people, months, args.runs)
    bench_batch(people, months, args.rosters, args.sample)


if __name__ == "__main__":
    main()
