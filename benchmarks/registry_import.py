"""Benchmark: importing a 100,000-row people file (issue 3: < 60 s on a 2-core machine).

Not a timed test. Builds a people file (CSV and .xlsx) with N rows — every column filled
as a county bureau would, 0.05% of rows with planted errors — then times, on a fresh
scratch database:

1. the checking job (``import_upload``, then the worker runs ``run_validation``: read +
   check every row, nothing written);
2. the writing job (``import_confirm(good_rows_only=True)``, then ``run_commit``: re-check +
   encrypt in Python + bulk insert);
3. importing the same file again (must change nothing);

and, as the simple correct baseline, ``person_register`` called once per row (a query or
two and an audit link per row) over a sample, extrapolated to N.

    .venv/bin/python benchmarks/registry_import.py --rows 100000            # SQLite scratch file
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/chizheng_registry \\
        .venv/bin/python benchmarks/registry_import.py --rows 100000 --format csv
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")  # test keys
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = (
        f"sqlite:///{tempfile.gettempdir()}/chizheng-bench-registry.sqlite3"
    )

import django

django.setup()

import openpyxl  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from benchmarks.machine import describe  # noqa: E402
from chizheng.accounts.models import Role, User  # noqa: E402
from chizheng.core import ids  # noqa: E402
from chizheng.jobs.worker import Worker  # noqa: E402
from chizheng.org.models import County  # noqa: E402
from chizheng.org.services import load_reference  # noqa: E402
from chizheng.registry import imports  # noqa: E402
from chizheng.registry.models import ImportJob  # noqa: E402
from chizheng.registry.services import load_occupations, person_register  # noqa: E402

T = TypeVar("T")
HEADERS = [
    "姓名",
    "身份证号码",
    "手机号码",
    "所属县（市、区）",
    "重点群体",
    "工作单位统一社会信用代码",
    "岗位职业编码",
    "原岗位职业编码（转岗）",
    "转岗日期",
    "在读学校统一社会信用代码",
    "在读专业对应职业编码",
    "毕业年份",
]
GROUPS = ["农民工", "高校毕业生", "失业人员", "脱贫人口", "退役军人", ""]
POSTS = ["6-18-02-04", "6-31-01-03", "4-03-02-01", "4-10-01-05", "6-16-01-06"]


def rows(n: int, counties: list[str]) -> tuple[list[list[str]], int]:
    out, bad = [], 0
    for i in range(n):
        county = counties[i % len(counties)]
        born = dt.date(1962, 1, 1) + dt.timedelta(days=(i // len(counties)) % 16000)
        seq = (i // (len(counties) * 16000)) % 1000
        number = ids.make(county, born, seq)
        row = [
            f"张{i}",
            number,
            f"13{i:09d}",
            county,
            GROUPS[i % len(GROUPS)],
            "",
            POSTS[i % len(POSTS)],
            "",
            "",
            "",
            "",
            "",
        ]
        if i % 5 == 0:
            row[7], row[8] = "6-18-01-01", "2021-06-01"
        if i % 2000 == 1999:  # 0.05% planted errors
            row[1] = number[:17] + ("0" if number[17] != "0" else "1")
            bad += 1
        out.append(row)
    return out, bad


def as_csv(data: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADERS)
    w.writerows(data)
    return buf.getvalue().encode("utf-8")


def as_xlsx(data: list[list[str]]) -> bytes:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("人员")
    ws.append(HEADERS)
    for r in data:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def clear_people() -> None:
    """Empty the scratch database's people without the ORM cascade over other areas' tables."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM registry_person")


def through_worker(step: Callable[..., ImportJob], **kwargs: Any) -> ImportJob:
    """One step of the import and the job it queues, run by the worker code."""
    job = step(**kwargs)
    Worker(worker_id="bench", beat_thread=False).drain()
    job.refresh_from_db()
    return job


def timed(label: str, fn: Callable[[], T]) -> tuple[T, float]:
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    # CPU time of this process too: the wall time suffers when the machine is shared.
    print(f"  {label:<46} {seconds:8.2f} s  (cpu {cpu:6.2f} s)")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["csv", "xlsx", "both"], default="both")
    parser.add_argument("--baseline-sample", type=int, default=2000)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    clear_people()
    city = load_reference()
    load_occupations()
    actor, _ = User.objects.get_or_create(
        username="bench-registry", defaults={"role": Role.PROGRAMME_OFFICE, "city": city}
    )
    counties = list(County.objects.values_list("code", flat=True))
    data, planted = rows(args.rows, counties)

    print(f"registry import benchmark — {args.rows:,} people rows, {planted} planted errors")
    print(
        f"machine: {describe()}; database: {connection.vendor}; load average {os.getloadavg()[0]:.1f}"
    )
    formats = ["csv", "xlsx"] if args.format == "both" else [args.format]
    for fmt in formats:
        clear_people()
        content = as_csv(data) if fmt == "csv" else as_xlsx(data)
        print(f"{fmt}: {len(content) / 1e6:.1f} MB")
        job, t_check = timed(
            "validate (read + check every row)",
            partial(
                through_worker,
                imports.import_upload,
                actor=actor,
                kind="people",
                filename=f"people.{fmt}",
                content=content,
            ),
        )
        assert job.bad_rows == planted, (job.bad_rows, planted)
        job, t_write = timed(
            "confirm good rows (re-check + bulk insert)",
            partial(
                through_worker,
                imports.import_confirm,
                actor=actor,
                job_id=job.pk,
                good_rows_only=True,
            ),
        )
        assert job.result["created"] == args.rows - planted
        again, _ = timed(
            "import the same file again (no change)",
            partial(
                imports.import_file,
                actor=actor,
                kind="people",
                filename=f"people.{fmt}",
                content=content,
                good_rows_only=True,
            ),
        )
        assert again.result["created"] == 0 and again.result["updated"] == 0
        print(f"  {'TOTAL upload → confirmed':<46} {t_check + t_write:8.2f} s   (target < 60 s)")

    clear_people()
    sample = data[: args.baseline_sample]
    county_by_code = {c.code: c for c in County.objects.all()}

    def baseline() -> None:
        for r in sample:
            if r[1][17] != ids.check_digit(r[1][:17]):
                continue
            person_register(
                actor=actor, name=r[0], id_number=r[1], county=county_by_code[r[3]], phone=r[2]
            )

    _, t_base = timed(f"baseline: person_register per row × {len(sample):,}", baseline)
    print(
        f"  {'baseline extrapolated to ' + format(args.rows, ','):<46} {t_base * args.rows / len(sample):8.2f} s"
    )
    clear_people()


if __name__ == "__main__":
    main()
