"""Job handlers for the jobs area's own tests (registered by ``conftest.test_kinds``)."""

from __future__ import annotations

from chizheng.core.errors import ValidationError
from chizheng.jobs.kinds import Outcome, OutFile
from chizheng.jobs.models import Job, JobLogEntry
from chizheng.jobs.progress import Progress

# What the handlers saw, for the tests to read.
SEEN: list[object] = []


def counts(job: Job, progress: Progress) -> Outcome:
    total = int(job.params.get("rows", 3))
    progress.set_total(total)
    for _ in range(total):
        progress.advance()
    # What a page polling the job would read now, before the job is over.
    SEEN.append(Job.objects.get(pk=job.pk).rows_done)
    progress.log("已数完")
    return Outcome(
        message=f"数了 {total} 行",
        summary={"rows": total},
        file=OutFile("结果.txt", "text/plain; charset=utf-8", "好".encode()),
    )


def refuses(job: Job, progress: Progress) -> Outcome:
    raise ValidationError("文件第3行身份证号码错误", code="bad_file")


def crashes(job: Job, progress: Progress) -> Outcome:
    SEEN.append(job.attempts)
    raise RuntimeError("disk on fire 410402199001010019")


def crashes_once(job: Job, progress: Progress) -> Outcome:
    SEEN.append(job.attempts)
    if job.attempts == 1:
        raise RuntimeError("first time")
    return Outcome(message="第二次成功")


def interrupted(job: Job, progress: Progress) -> Outcome:
    progress.log("开始", JobLogEntry.Level.INFO)
    raise KeyboardInterrupt


def read_aside() -> int | None:
    """The job's rows done as another connection (a page) reads it now."""
    import sqlite3

    from django.db import connection

    sql = f"SELECT rows_done FROM {Job._meta.db_table} ORDER BY id DESC LIMIT 1"  # noqa: S608
    if connection.vendor == "postgresql":
        import psycopg

        with psycopg.connect(**connection.get_connection_params()) as other:
            row = other.execute(sql).fetchone()
    else:
        lite = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            row = lite.execute(sql).fetchone()
        finally:
            lite.close()
    return row[0] if row else None


def counts_in_a_transaction(job: Job, progress: Progress) -> Outcome:
    from django.db import transaction

    with transaction.atomic():
        progress.set_total(4)
        progress.set_done(4)
        SEEN.append(read_aside())
    return Outcome(message="写入完成")
