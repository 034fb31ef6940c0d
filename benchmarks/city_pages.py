"""Every list and detail page of each demo role, timed server-side against a PostgreSQL
database holding a simulated year (issue 13: p95 < 300 ms per page, the query count per page
reported, and no page whose queries grow with rows it does not show).

Not a timed test. In process, with Django's test client (no network, no server): each role's
user is signed in (``force_login``: the sign-in's argon2 is not what is measured), each list
page is requested ``--runs`` times after one warm-up, and each detail page is found as a user
finds it — the first link of its kind on the role's own list pages — and timed the same way.
Each page's queries are counted once (``CaptureQueriesContext``). ``/healthz`` (one query) is
timed in the same run as the baseline; each page's p95 is also given as a multiple of it.

    # the simulated city year (chizheng simulate --scale city), on its "today"
    CHIZHENG_ENV_FILE=var/pgcity.env CHIZHENG_TODAY=2022-12-20 \\
        .venv/bin/python -m benchmarks.city_pages --runs 20 --out var/pages-city.json
    # the demo's slice, for the query counts of the same pages on a small year
    CHIZHENG_ENV_FILE=var/pgslice.env .venv/bin/python -m benchmarks.city_pages --runs 3 \\
        --out var/pages-slice.json
    # side by side: a page whose query count is larger on the city year is reported
    .venv/bin/python -m benchmarks.city_pages --compare var/pages-slice.json var/pages-city.json

Exit status 1 when a page's p95 is 300 ms or more (or, with --compare, a query count grew).
A detail page is the first link of its kind on the role's lists, which may be a different
kind of record in the two data sets (a returned class on one, an assessed one on the
other): a flagged detail page is to be compared like for like before it is called growth.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_MS = 300.0
ROLES = (
    "city",
    "leader",
    "xinhua",
    "miit1",
    "finance",
    "inspector",
    "jsxy",
    "jdzx",
    "platform",
    "worker",
    "xueyuan",
)
REGISTRY_TABLES = (
    "occupations",
    "institutions",
    "catalog",
    "teachers",
    "sites",
    "people",
    "sanctions",
    "rosters",
)
LISTS = (
    "/",
    "/registry/",
    *(f"/registry/{t}/" for t in REGISTRY_TABLES),
    "/registry/public/blacklist/",
    "/registry/imports/",
    "/classes/",
    "/classes/queue/",
    "/classes/inspections/",
    "/classes/pure-online/",
    "/plan/",
    "/plan/document/",
    "/online/",
    "/online/learners/",
    "/subsidy/",
    "/subsidy/funds/",
    "/subsidy/standards/",
    "/subsidy/vouchers/",
    "/subsidy/bulletin/",
    "/jobs/",
    "/notices/",
    "/calendar/",
    "/account/tokens/",
    "/supervision/",
    "/supervision/risk/",
    "/supervision/dashboard/",
    "/supervision/cases/",
    "/competitions/",
    "/competitions/contestants/",
)
# (route, the link's pattern, the role's pages searched for the first such link, in order)
DETAILS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("/classes/<id>/", r"/classes/\d+/", ("/classes/", "/classes/queue/", "/")),
    ("/subsidy/claims/<id>/", r"/subsidy/claims/\d+/", ("/subsidy/", "/")),
    ("/subsidy/classes/<id>/", r"/subsidy/classes/\d+/", ("/subsidy/", "/classes/<id>/")),
    ("/registry/people/<id>/", r"/registry/people/\d+/", ("/registry/people/",)),
    (
        "/registry/institutions/<id>/",
        r"/registry/institutions/\d+/",
        ("/registry/institutions/", "/registry/"),
    ),
    ("/registry/teachers/<id>/", r"/registry/teachers/\d+/", ("/registry/teachers/",)),
    ("/registry/sites/<id>/", r"/registry/sites/\d+/", ("/registry/sites/",)),
    ("/registry/sanctions/<id>/", r"/registry/sanctions/\d+/", ("/registry/sanctions/",)),
    ("/registry/rosters/<id>/", r"/registry/rosters/\d+/", ("/registry/rosters/",)),
    (
        "/registry/occupations/<code>/",
        r"/registry/occupations/[0-9A-Za-z.\-]+/",
        ("/registry/occupations/",),
    ),
    ("/registry/imports/<id>/", r"/registry/imports/\d+/", ("/registry/imports/",)),
    ("/online/learners/<id>/", r"/online/learners/\d+/", ("/online/learners/",)),
    ("/jobs/<id>/", r"/jobs/\d+/", ("/jobs/",)),
    ("/notices/<id>/", r"/notices/\d+/", ("/notices/",)),
    ("/calendar/<year>/", r"/calendar/\d{4}/", ("/calendar/",)),
    ("/classes/<id>/print/", r"/classes/\d+/print/", ("/classes/<id>/",)),
    ("/subsidy/vouchers/<id>/", r"/subsidy/vouchers/\d+/", ("/subsidy/vouchers/",)),
    ("/supervision/<id>/", r"/supervision/\d+/", ("/supervision/",)),
    (
        "/supervision/risk/<subject>/<id>/",
        r"/supervision/risk/[a-z]+/\d+/",
        ("/supervision/risk/",),
    ),
    ("/supervision/cases/<id>/", r"/supervision/cases/\d+/", ("/supervision/cases/",)),
    ("/competitions/<id>/", r"/competitions/\d+/", ("/competitions/",)),
)


@dataclass
class Page:
    role: str
    route: str
    path: str
    status: int
    queries: int = 0
    p50: float = 0.0
    p95: float = 0.0
    max: float = 0.0
    runs: int = 0


def _p95(xs: list[float]) -> float:
    if len(xs) < 2:
        return xs[0] if xs else 0.0
    return statistics.quantiles(xs, n=20, method="inclusive")[18]


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _time(
    client: Any, path: str, runs: int, *, any_status: bool = False
) -> tuple[int, list[float], int, str]:
    """(status, milliseconds of each run, queries of one run, the body of the first); pages
    the role may not open are not timed (``any_status``: timed whatever they answer)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = client.get(path)  # warm-up: also the body searched for detail links
    body = first.content.decode("utf-8", "replace") if first.status_code == 200 else ""
    if first.status_code != 200 and not any_status:
        return first.status_code, [], 0, body
    with CaptureQueriesContext(connection) as q:
        client.get(path)
    queries = len(q.captured_queries)  # now: the next request resets the connection's log
    took = []
    for _ in range(runs):
        began = time.perf_counter()
        client.get(path)
        took.append((time.perf_counter() - began) * 1000)
    return first.status_code, took, queries, body


def _page(role: str, route: str, path: str, status: int, took: list[float], queries: int) -> Page:
    if not took:
        return Page(role, route, path, status)
    return Page(
        role,
        route,
        path,
        status,
        queries,
        statistics.median(took),
        _p95(took),
        max(took),
        len(took),
    )


def measure(roles: tuple[str, ...], runs: int) -> tuple[list[Page], Page]:
    from django.test import Client

    from chizheng.accounts.models import User

    anon = Client(HTTP_HOST="127.0.0.1")
    # /healthz answers 503 when no job worker runs beside it: the same work, timed anyway.
    status, took, queries, _ = _time(anon, "/healthz", max(runs, 20), any_status=True)
    baseline = _page("—", "/healthz", "/healthz", status, took, queries)
    pages: list[Page] = []
    for role in roles:
        user = User.objects.filter(username=role).first()
        if user is None:
            print(f"  (no user {role})", file=sys.stderr)
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        bodies: dict[str, str] = {}
        for path in LISTS:
            status, took, queries, body = _time(client, path, runs)
            bodies[path] = body
            pages.append(_page(role, path, path, status, took, queries))
        for route, pattern, where in DETAILS:
            link = None
            for source in where:
                m = re.search(f'href="({pattern})"', bodies.get(source, ""))
                if m:
                    link = m.group(1)
                    break
            if link is None:
                continue  # nothing of that kind in the role's scope
            status, took, queries, body = _time(client, link, runs)
            bodies[route] = body
            pages.append(_page(role, route, link, status, took, queries))
        shown = [p for p in pages if p.role == role and p.status == 200]
        worst = max(shown, key=lambda p: p.p95) if shown else None
        print(
            f"  {role}: {len(shown)} pages, worst p95 "
            + (f"{worst.p95:.0f} ms ({worst.route})" if worst else "—"),
            file=sys.stderr,
        )
    return pages, baseline


def report(pages: list[Page], baseline: Page) -> int:
    floor = baseline.p95 or 1.0
    print(
        f"baseline /healthz: p50 {baseline.p50:.1f} ms, p95 {baseline.p95:.1f} ms, "
        f"{baseline.queries} queries (answered {baseline.status})"
    )
    print(
        f"{'role':<10} {'page':<32} {'p50':>7} {'p95':>7} {'max':>7} {'queries':>7} {'p95/healthz':>11}"
    )
    failed = 0
    for p in pages:
        if p.status != 200:
            continue
        flag = "  ← over 300 ms" if p.p95 >= TARGET_MS else ""
        failed += bool(flag)
        print(
            f"{p.role:<10} {p.route:<32} {p.p50:>7.1f} {p.p95:>7.1f} {p.max:>7.1f} "
            f"{p.queries:>7d} {p.p95 / floor:>10.1f}×{flag}"
        )
    shown = [p for p in pages if p.status == 200]
    refused = len(pages) - len(shown)
    by_role: dict[str, list[Page]] = {}
    for p in shown:
        by_role.setdefault(p.role, []).append(p)
    print(f"\n{len(shown)} pages shown, {refused} refused to the role (not timed)")
    for role, ps in by_role.items():
        w = max(ps, key=lambda p: p.p95)
        print(
            f"  {role:<10} {len(ps):>3} pages  worst p95 {w.p95:7.1f} ms ({w.route}), "
            f"most queries {max(p.queries for p in ps)}"
        )
    if shown:
        w = max(shown, key=lambda p: p.p95)
        print(f"worst p95 of all: {w.p95:.1f} ms ({w.role} {w.route}); target < {TARGET_MS:.0f} ms")
    return 1 if failed else 0


def compare(small: Path, large: Path) -> int:
    a = json.loads(small.read_text(encoding="utf-8"))
    b = json.loads(large.read_text(encoding="utf-8"))
    counts = {(p["role"], p["route"]): p["queries"] for p in a["pages"] if p["status"] == 200}
    print(f"query counts: {a['label']} vs {b['label']}")
    print(f"{'role':<10} {'page':<32} {a['label']:>8} {b['label']:>8}")
    grew = 0
    for p in b["pages"]:
        if p["status"] != 200:
            continue
        before = counts.get((p["role"], p["route"]))
        mark = ""
        if before is not None and p["queries"] > before:
            mark, grew = "  ← grew", grew + 1
        shown = "—" if before is None else str(before)
        print(f"{p['role']:<10} {p['route']:<32} {shown:>8} {p['queries']:>8}{mark}")
    print(f"\n{grew} pages whose query count grew from {a['label']} to {b['label']}")
    return 1 if grew else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=20, help="timed requests per page")
    ap.add_argument("--roles", default=",".join(ROLES), help="comma-separated demo usernames")
    ap.add_argument("--out", type=Path, help="write the figures as JSON here")
    ap.add_argument("--label", default="", help="the data set's name in --compare (default: db)")
    ap.add_argument("--compare", nargs=2, type=Path, metavar=("SMALL.json", "LARGE.json"))
    args = ap.parse_args()
    if args.compare:
        return compare(*args.compare)
    _setup()
    from django.db import connection

    from benchmarks.machine import describe

    print(f"machine: {describe()}; load average {os.getloadavg()[0]:.1f}")
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    _counts()
    began = time.monotonic()
    pages, baseline = measure(tuple(r for r in args.roles.split(",") if r), args.runs)
    print(f"{len(pages)} pages requested in {time.monotonic() - began:.0f} s")
    status = report(pages, baseline)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    if args.out:
        args.out.write_text(
            json.dumps(
                {
                    "label": args.label or connection.settings_dict["NAME"],
                    "runs": args.runs,
                    "baseline": asdict(baseline),
                    "pages": [asdict(p) for p in pages],
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    return status


def _counts() -> None:
    """What the database holds (the figures the pages are measured against)."""
    from chizheng.assessment.models import Certificate
    from chizheng.registry.models import Person
    from chizheng.subsidy.models import Claim
    from chizheng.training.models import Enrolment, TrainingClass

    print(
        "holding: "
        + ", ".join(
            f"{m.objects.count():,} {name}"
            for name, m in (
                ("classes", TrainingClass),
                ("enrolments", Enrolment),
                ("people", Person),
                ("certificates", Certificate),
                ("claims", Claim),
            )
        )
    )


if __name__ == "__main__":
    sys.exit(main())
