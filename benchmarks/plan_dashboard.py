"""Benchmark: the plan dashboard's queries with 1,000,000 certificates on PostgreSQL.

Owns a scratch database, ``chizheng_bench_plan`` (created if missing, migrated with the app's
schema). ``--fresh`` (or an empty database) generates, in SQL, ``--rows`` certificates of the
year 2022 for ``rows × 0.8`` people across the 12 units, channels, kinds, levels and days,
then sets the first-of-year flags with the service the app uses
(``assessment.services.certificate_flags_refresh``) and ANALYZEs.

What is timed (warm cache, median of ``--repeat`` runs):

* **dashboard** — ``plan.selectors.plan_progress`` for the city office and for one county
  user, at a year end and on 15 December: every query the /plan/ page runs (counties,
  targets, indicators, the derived monthly tally, and for an unfinished month ONE live
  aggregate over its days). Also shown: one live aggregate of the whole year (no tally).
* **baseline** — a simple correct way without the flags: one GROUP BY query per indicator,
  new (high-)skilled talents found with ``NOT EXISTS`` an earlier certificate of the same
  person in the year.

Both ways are checked to give the same numbers. Run:

    .venv/bin/python benchmarks/plan_dashboard.py            # generate if empty, then time
    .venv/bin/python benchmarks/plan_dashboard.py --fresh    # regenerate

``CHIZHENG_BENCH_PG`` overrides the server URL (default postgresql://postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DB = "chizheng_bench_plan"
SERVER = os.environ.get("CHIZHENG_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
YEAR = 2022
BUDGET_MS = 300


def ensure_database() -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone():
            conn.execute(f'CREATE DATABASE "{DB}"')


def setup_django() -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")  # test keys
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        pg = cur.fetchone()[0]
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores{mem}; "
        f"Python {platform.python_version()}, PostgreSQL {pg}"
    )


def _defaults_sql(model: Any, given: set[str]) -> tuple[list[str], list[str], list[Any]]:
    """Columns the generator does not set get their field default (other issues add fields)."""
    from django.db import connection

    cols, exprs, params = [], [], []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.column in given:
            continue
        cols.append(f.column)
        exprs.append("%s")
        params.append(f.get_db_prep_save(f.get_default(), connection))
    return cols, exprs, params


def generate(rows: int) -> None:
    from django.db import connection, transaction

    from chizheng.assessment.models import Certificate
    from chizheng.assessment.services import certificate_flags_refresh
    from chizheng.org.models import County
    from chizheng.plan.services import plan_load
    from chizheng.registry.models import Institution, Person

    plan = plan_load()
    counties = list(County.objects.filter(city=plan.city).order_by("order"))
    channels = ["enterprise", "school", "social"]
    issuers = []
    for c in counties:
        for i, ch in enumerate(channels):
            inst, _ = Institution.objects.get_or_create(
                credit_code=f"91410400B{c.code}{i:03d}",
                defaults={"name": f"{c.short_name}{ch}评价机构", "kind": "evaluator", "county": c},
            )
            issuers.append(inst.pk)
    people = int(rows * 0.8)
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"TRUNCATE {Certificate._meta.db_table} CASCADE")
        cur.execute(f"DELETE FROM {Person._meta.db_table} WHERE id_index LIKE 'bench-%%'")  # noqa: S608
        cur.execute("SELECT setseed(0.2022)")
        # People: one per ID; the county by position so a person's certificates stay local.
        given = {"name", "id_number", "id_index", "id_masked", "birth_date", "county_id"}
        cols, exprs, params = _defaults_sql(Person, given)
        cur.execute(
            f"INSERT INTO {Person._meta.db_table} "  # noqa: S608
            f"(name, id_number, id_index, id_masked, birth_date, county_id{''.join(', ' + c for c in cols)}) "
            f"SELECT '测试' || g, 'x', 'bench-' || g, '410400********' || lpad((g %% 10000)::text, 4, '0'), "
            f"date '1970-01-01' + (g %% 15000), (%s::bigint[])[1 + g %% 12]{''.join(', ' + e for e in exprs)} "
            f"FROM generate_series(1, %s) g",
            [[c.pk for c in counties], *params, people],
        )
        cur.execute(f"SELECT min(id) FROM {Person._meta.db_table} WHERE id_index LIKE 'bench-%%'")  # noqa: S608
        first_person = cur.fetchone()[0]
        cols, exprs, params = _defaults_sql(
            Certificate,
            {
                "person_id",
                "occupation_code",
                "skill_level",
                "kind",
                "channel",
                "issued_on",
                "county_id",
                "issuing_institution_id",
                "first_in_year",
                "first_high_in_year",
            },
        )
        # Certificates: the first `people` go one per person; the rest to random people again.
        cur.execute(
            f"""
            INSERT INTO {Certificate._meta.db_table}
              (person_id, occupation_code, skill_level, kind, channel, issued_on, county_id,
               issuing_institution_id, first_in_year, first_high_in_year{"".join(", " + c for c in cols)})
            SELECT %s + p - 1, '6-18-02-' || lpad((p %% 90)::text, 2, '0'),
                   CASE WHEN k < 0.12 THEN NULL ELSE 1 + floor(random() * 5)::int END,
                   CASE WHEN k < 0.04 THEN 'special_ability' WHEN k < 0.07 THEN 'training_pass'
                        WHEN k < 0.12 THEN 'special_operation' ELSE 'skill_level' END,
                   (ARRAY['enterprise','school','social'])[1 + ch],
                   date '{YEAR}-01-01' + floor(random() * 365)::int,
                   (%s::bigint[])[1 + p %% 12],
                   (%s::bigint[])[1 + (p %% 12) * 3 + ch],
                   false, false{"".join(", " + e for e in exprs)}
            FROM (SELECT g, CASE WHEN g <= %s THEN g ELSE 1 + floor(random() * %s)::int END AS p,
                         random() AS k,
                         CASE WHEN random() < 0.432 THEN 0 WHEN random() < 0.63 THEN 1 ELSE 2 END AS ch
                  FROM generate_series(1, %s) g) s
            """,  # noqa: S608
            [first_person, [c.pk for c in counties], issuers, *params, people, people, rows],
        )
    print(
        f"generated {people:,} people and {rows:,} certificates in {time.perf_counter() - t0:.1f} s"
    )
    t0 = time.perf_counter()
    certificate_flags_refresh(year=YEAR)
    print(
        f"first-of-year flags set (certificate_flags_refresh) in {time.perf_counter() - t0:.1f} s"
    )
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    fn()  # warm
    runs = []
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs), result


def baseline(actor: Any, until: dt.date) -> dict[str, dict[tuple[int, int], int]]:
    """No stored flags: one GROUP BY per indicator; first-of-year by NOT EXISTS an earlier one."""
    from django.db.models import Count, Exists, OuterRef, Q
    from django.db.models.functions import ExtractMonth

    from chizheng.accounts.access import visible
    from chizheng.assessment.models import Certificate
    from chizheng.plan.tally import CERTIFICATE_COUNTERS

    year = visible(actor, Certificate.objects.all()).filter(
        issued_on__gte=dt.date(YEAR, 1, 1), issued_on__lte=until
    )

    def earlier(high: bool) -> Exists:
        qs = Certificate.objects.filter(
            person_id=OuterRef("person_id"), issued_on__gte=dt.date(YEAR, 1, 1)
        ).filter(
            Q(issued_on__lt=OuterRef("issued_on"))
            | Q(issued_on=OuterRef("issued_on"), id__lt=OuterRef("id"))
        )
        if high:
            qs = qs.filter(skill_level__lte=3)
        return Exists(qs)

    out: dict[str, dict[tuple[int, int], int]] = {}
    for key, q in CERTIFICATE_COUNTERS.items():
        qs = year
        if key == "new_skilled":
            qs = qs.filter(~earlier(False))
        elif key == "new_high_skilled":
            qs = qs.filter(skill_level__lte=3).filter(~earlier(True))
        else:
            qs = qs.filter(q)
        rows = (
            qs.annotate(month=ExtractMonth("issued_on"))
            .values("county_id", "month")
            .annotate(n=Count("id"))
        )
        out[key] = {(r["county_id"], r["month"]): r["n"] for r in rows.order_by()}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()

    ensure_database()
    setup_django()
    from chizheng.accounts.models import Role, User
    from chizheng.assessment.models import Certificate
    from chizheng.org.models import City, County
    from chizheng.plan.selectors import Facts, plan_for_year, plan_progress
    from chizheng.plan.tally import certificate_counts

    if args.fresh or Certificate.objects.count() != args.rows:
        generate(args.rows)
    city = City.objects.get(code="410400")
    county = County.objects.get(code="410402")
    office, _ = User.objects.get_or_create(
        username="bench-city", defaults={"role": Role.PROGRAMME_OFFICE, "city": city}
    )
    county_user, _ = User.objects.get_or_create(
        username="bench-xinhua", defaults={"role": Role.COUNTY_HR, "county": county}
    )
    plan = plan_for_year(actor=office, year=YEAR)
    until = dt.date(YEAR, 12, 31)

    print(f"machine: {machine()}")
    print(f"certificates: {Certificate.objects.count():,} (year {YEAR})")
    mid = dt.date(
        YEAR, 12, 15
    )  # an unfinished month: tally for Jan–Nov + live aggregate of 15 days
    city_ms, progress = timed(
        lambda: plan_progress(actor=office, plan=plan, until=until), args.repeat
    )
    county_ms, _ = timed(
        lambda: plan_progress(actor=county_user, plan=plan, until=until), args.repeat
    )
    mid_ms, _ = timed(lambda: plan_progress(actor=office, plan=plan, until=mid), args.repeat)
    mid_county_ms, _ = timed(
        lambda: plan_progress(actor=county_user, plan=plan, until=mid), args.repeat
    )
    tally = Facts(actor=office, year=YEAR, until=until).certificates
    live_ms, live = timed(
        lambda: certificate_counts(
            Certificate.objects.filter(issued_on__gte=dt.date(YEAR, 1, 1), issued_on__lte=until)
        ),
        max(1, args.repeat // 2),
    )
    assert tally == live, "the tally and the certificates disagree"
    print(
        "dashboard = every query of /plan/ (counties, targets, indicators, certificate counts), warm"
    )
    print(f"  city office, year end (tally only):                 {city_ms:7.0f} ms median")
    print(f"  county user (新华区), year end:                     {county_ms:7.0f} ms median")
    print(f"  city office, 15 Dec (tally Jan–Nov + live 1–15 Dec): {mid_ms:7.0f} ms median")
    print(f"  county user, 15 Dec:                                 {mid_county_ms:7.0f} ms median")
    print(
        f"  one live aggregate of the whole year (no tally):     {live_ms:7.0f} ms (same numbers: yes)"
    )
    skilled = progress.by_code("new_skilled").city
    print(
        f"  new skilled talents counted: {skilled.count:,}; certificates: {sum(live['all'].values()):,}"
    )
    worst = max(city_ms, county_ms, mid_ms, mid_county_ms)
    if not args.skip_baseline:
        base_ms, base = timed(lambda: baseline(office, until), 1)
        assert base == live, "baseline and dashboard disagree"
        print(f"baseline (query per indicator, NOT EXISTS first-of-year): {base_ms:7.0f} ms")
        print(
            f"ratio baseline / dashboard (worst case): {base_ms / worst:,.0f}×; same numbers: yes"
        )
    verdict = "PASS" if worst < BUDGET_MS else "FAIL"
    print(f"{verdict}: budget {BUDGET_MS} ms")


if __name__ == "__main__":
    main()
