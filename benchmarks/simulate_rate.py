"""How fast the city-year is built: a few classes of ``--scale city``'s draw, built through the
services as ``chizheng simulate`` builds them, inside a transaction that is rolled back (so the
same classes can be measured again after a change), with their queries counted.

    CHIZHENG_ENV_FILE=var/pgcity.env .venv/bin/python -m benchmarks.simulate_rate [--classes 8]
        [--profile out.prof] [--skip 0]

Prints the machine, the classes per second, the queries per class and per trainee, and the
queries grouped by their table and verb (the most frequent first).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.machine import describe  # noqa: E402
from chizheng.org.models import County  # noqa: E402
from chizheng.registry.models import Institution  # noqa: E402
from chizheng.simulate import actors as actors_  # noqa: E402
from chizheng.simulate.classes import build  # noqa: E402
from chizheng.simulate.run import plan_year  # noqa: E402
from chizheng.simulate.scale import CITY, default_today  # noqa: E402
from chizheng.training.models import Status, TrainingClass  # noqa: E402


class Rollback(Exception):
    pass


def _shape(sql: str) -> str:
    verb = sql.split(None, 1)[0].upper()
    m = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql, re.I)
    return f"{verb} {m.group(1) if m else '?'}"


def _claims(args: argparse.Namespace, draws: list, a: actors_.Actors, today) -> None:
    """Claims taken to payment on assessed classes the run has made and not yet claimed."""
    from chizheng.simulate import claims
    from chizheng.subsidy.models import Claim

    by_batch = {d.batch: d for d in draws}
    made = list(
        TrainingClass.objects.filter(batch__in=list(by_batch), status=Status.ASSESSED)
        .exclude(pk__in=Claim.objects.values("training_class_id"))
        .select_related("institution")
        .order_by("id")[: args.claims]
    )
    with CaptureQueriesContext(connection) as q:
        began = time.perf_counter()
        try:
            with transaction.atomic():
                claims._budget(CITY, a, 2022)
                for c in made:
                    claims.claim_class(c, by_batch[c.batch], a, "paid", False, today)
                raise Rollback
        except Rollback:
            pass
        took = time.perf_counter() - began
    n = len(q.captured_queries)
    print(
        f"{len(made)} claims to payment: {took:.2f} s, {len(made) / took:.2f} claims/s; {n} queries, {n / max(1, len(made)):.0f} a claim"
    )
    _by_table(q.captured_queries)


def _by_table(captured: list) -> None:
    shapes = Counter(_shape(x["sql"]) for x in captured)
    seconds: dict[str, float] = defaultdict(float)
    for x in captured:
        seconds[_shape(x["sql"])] += float(x["time"])
    print("  queries  seconds  table")
    for shape, s in sorted(seconds.items(), key=lambda kv: -kv[1])[:25]:
        print(f"  {shapes[shape]:7d}  {s:7.3f}  {shape}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--classes", type=int, default=8)
    ap.add_argument("--skip", type=int, default=0, help="assessed draws to pass over first")
    ap.add_argument("--profile", help="write cProfile stats here")
    ap.add_argument("--claims", type=int, default=0, help="measure N claims instead of classes")
    ap.add_argument("--dump", help="write every query (time, SQL) to this file")
    ap.add_argument("--slowest", type=int, default=0, help="print the N slowest queries")
    args = ap.parse_args()
    print(describe())
    year = 2022
    today = default_today(CITY, year)
    counties = list(County.objects.order_by("order"))
    a = actors_.gather(counties, year)
    draws = [
        d for d in plan_year(CITY, year, 2022, today, a, counties) if d.state == Status.ASSESSED
    ]
    platform = (
        Institution.objects.filter(
            kind=Institution.Kind.PLATFORM, catalog_status=Institution.CatalogStatus.LISTED
        )
        .order_by("id")
        .values_list("pk", flat=True)
        .first()
    )
    if args.claims:
        _claims(args, draws, a, today)
        return
    chosen = draws[args.skip : args.skip + args.classes]
    trainees = sum(d.trainees for d in chosen)
    prof = cProfile.Profile() if args.profile else None
    with CaptureQueriesContext(connection) as q:
        began = time.perf_counter()
        try:
            with transaction.atomic():
                if prof:
                    prof.enable()
                for d in chosen:
                    build(d, a, today=today, platform_id=platform)
                if prof:
                    prof.disable()
                raise Rollback
        except Rollback:
            pass
        took = time.perf_counter() - began
    if prof and args.profile:
        prof.dump_stats(args.profile)
    n = len(q.captured_queries)
    print(
        f"{len(chosen)} assessed classes, {trainees} trainees: {took:.2f} s, "
        f"{len(chosen) / took:.2f} classes/s; {n} queries, {n / len(chosen):.0f} a class, "
        f"{n / trainees:.1f} a trainee"
    )
    _by_table(q.captured_queries)
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as out:
            for x in q.captured_queries:
                out.write(f"{float(x['time']):.4f} {x['sql'][:300]}\n")
    if args.slowest:
        for x in sorted(q.captured_queries, key=lambda x: -float(x["time"]))[: args.slowest]:
            print(f"{float(x['time']):.3f}s  {x['sql'][:600]}")


if __name__ == "__main__":
    main()
