"""Benchmark: the reviewer's queue with 100,000 classes on PostgreSQL (issue 6: < 300 ms).

Not a timed test. Builds (once) a scratch database with N classes in every state and their
review steps, then times ``selectors.review_queue`` for an industry reviewer and a county HR
reviewer against a simple baseline in the same process: fetch every open step of the level
and filter and sort in Python.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/chizheng_bench_training \\
        .venv/bin/python benchmarks/training_queue.py --classes 100000
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Sized
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault(
    "DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/chizheng_bench_training"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")  # test keys

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from benchmarks.machine import describe  # noqa: E402
from chizheng.accounts.models import Role, User  # noqa: E402
from chizheng.org.models import County, Department  # noqa: E402
from chizheng.org.services import load_reference  # noqa: E402
from chizheng.registry.models import Institution  # noqa: E402
from chizheng.training.models import Review, Status, TrainingClass  # noqa: E402
from chizheng.training.selectors import review_queue  # noqa: E402

TODAY = dt.date(2022, 9, 1)
OPEN_STEP: dict[str, tuple[str, str]] = {
    Status.SUBMITTED: ("industry", "first"),
    Status.INDUSTRY_FIRST: ("industry", "second"),
    Status.HR_REVIEW: ("hr", "first"),
    Status.HR_FIRST: ("hr", "second"),
}


def build(n: int) -> None:
    if TrainingClass.objects.count() >= n:
        return
    rng = random.Random(6)
    city = load_reference()
    counties = list(County.objects.all())
    departments = list(Department.objects.filter(kind="industry"))
    owner, _ = User.objects.get_or_create(
        username="bench-owner", defaults={"role": Role.PROGRAMME_OFFICE, "city": city}
    )
    institutions = Institution.objects.bulk_create(
        [
            Institution(
                name=f"培训机构{i}",
                credit_code=f"91BENCH{i:011d}",
                kind="private_school",
                county=counties[i % len(counties)],
                department=departments[i % len(departments)],
            )
            for i in range(600)
        ]
    )
    statuses = list(Status.values)
    batch = 10_000
    for start in range(0, n, batch):
        classes = []
        for i in range(start, min(start + batch, n)):
            inst = institutions[rng.randrange(len(institutions))]
            day = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(300))
            classes.append(
                TrainingClass(
                    institution=inst,
                    department=inst.department,
                    contact_name="x",
                    contact_phone="x",
                    batch=f"B{i}",
                    start_date=day,
                    end_date=day + dt.timedelta(days=20),
                    occupation_code="6-18-02-05",
                    occupation_name="机械加工材料切割工",
                    skill_level=4,
                    certificate_type="skill_level",
                    planned_count=30,
                    class_hours=80,
                    practical_hours=50,
                    class_hour_minutes=45,
                    mode="commissioned",
                    status=rng.choice(statuses),
                    created_by=owner,
                )
            )
        TrainingClass.objects.bulk_create(classes)
        reviews = []
        for k in classes:
            accepted = k.start_date - dt.timedelta(days=20)
            if k.status in OPEN_STEP:
                level, step = OPEN_STEP[k.status]
                reviews.append(
                    Review(
                        training_class=k,
                        level=level,
                        step=step,
                        accepted_on=accepted,
                        due_on=accepted + dt.timedelta(days=14),
                    )
                )
            else:
                for level, step in (("industry", "first"), ("industry", "second")):
                    reviews.append(
                        Review(
                            training_class=k,
                            level=level,
                            step=step,
                            accepted_on=accepted,
                            due_on=accepted + dt.timedelta(days=14),
                            decision="approve",
                            done_on=accepted + dt.timedelta(days=3),
                            reviewer=owner,
                        )
                    )
        Review.objects.bulk_create(reviews)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def baseline(actor: User) -> list[Review]:
    """The simple way: every open step of the level, filtered and sorted in Python."""
    level = "industry" if actor.role == Role.INDUSTRY else "hr"
    rows = [
        r
        for r in Review.objects.filter(level=level).select_related(
            "training_class__institution__county", "training_class__department"
        )
        if r.done_on is None
        and (
            r.training_class.department_id == actor.department_id
            if level == "industry"
            else r.training_class.institution.county_id == actor.county_id
        )
    ]
    return sorted(rows, key=lambda r: (r.due_on, r.pk))[:500]


def timed(fn: Callable[[], Sized], runs: int) -> tuple[float, int]:
    times: list[float] = []
    size = 0
    for _ in range(runs):
        t = time.perf_counter()
        size = len(fn())
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--classes", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    build(args.classes)
    print(
        f"data: {TrainingClass.objects.count():,} classes, {Review.objects.count():,} review steps "
        f"(built in {time.perf_counter() - t:.0f} s)"
    )
    print(
        f"machine: {describe()}; database: {connection.vendor} {connection.cursor().connection.info.server_version if connection.vendor == 'postgresql' else ''}"
    )
    industry, _ = User.objects.get_or_create(
        username="bench-miit",
        defaults={"role": Role.INDUSTRY, "department": Department.objects.get(code="miit")},
    )
    county_hr, _ = User.objects.get_or_create(
        username="bench-xinhua",
        defaults={"role": Role.COUNTY_HR, "county": County.objects.get(code="410402")},
    )
    for label, actor in (
        ("industry reviewer (市工信局)", industry),
        ("county HR reviewer (新华区)", county_hr),
    ):
        fast, n = timed(partial(review_queue, actor=actor, today=TODAY), args.runs)
        slow, m = timed(partial(baseline, actor), max(3, args.runs // 5))
        verdict = "meets" if fast < 300 else "MISSES"
        print(
            f"{label}: queue {fast:.1f} ms ({n} steps) vs baseline {slow:.1f} ms ({m}) — "
            f"{slow / fast:.0f}x faster; target < 300 ms: {verdict}"
        )


if __name__ == "__main__":
    main()
