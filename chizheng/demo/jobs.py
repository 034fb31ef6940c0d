"""Demo background jobs, so that the job history shows each kind at work: 新华区's bureau
imported a people file (checked, then written), the city office ran the online audit and
exported the institutions list. Run here and now through the queue, as a worker would.

Idempotent: each is done once (found by its file name or its kind and starter).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

from chizheng.accounts.models import User
from chizheng.core import ids
from chizheng.jobs.models import Job, JobState
from chizheng.jobs.worker import Worker
from chizheng.online import jobs as online_jobs
from chizheng.registry import imports, services
from chizheng.registry.models import ImportJob

IMPORT_FILE = "新华区-2022年5月新增人员.csv"
HEADERS = ["姓名", "身份证号码", "手机号码", "所属县（市、区）", "重点群体"]
GROUPS = ["农民工", "高校毕业生", "失业人员", "退役军人", ""]


def build(*, rng: random.Random) -> None:
    county = User.objects.filter(username="xinhua").first()
    office = User.objects.filter(username="city").first()
    if county is None or office is None:
        return
    # The demo builds in one transaction: the heartbeat is written on this connection.
    worker = Worker(worker_id="demo", beat_thread=False)
    if not ImportJob.objects.filter(created_by=county, filename=IMPORT_FILE).exists():
        _import(rng, county, worker)
    if not Job.objects.filter(
        kind=online_jobs.KIND, created_by=office, state=JobState.SUCCEEDED
    ).exists():
        worker.run_now(online_jobs.audit_start(actor=office))
    if not Job.objects.filter(kind="registry.export", created_by=office).exists():
        job = services.export_start(actor=office, table="institutions", filters={})
        worker.run_now(job)


def _import(rng: random.Random, actor: User, worker: Worker) -> None:
    from chizheng.demo import GIVEN, SURNAMES

    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(HEADERS)
    for n in range(40):
        born = dt.date(1990, 3, 1) + dt.timedelta(days=n * 97)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        out.writerow(
            [
                name,
                ids.make("410402", born, 900 + n),
                "13" + "".join(rng.choice("0123456789") for _ in range(9)),
                "新华区",
                GROUPS[n % len(GROUPS)],
            ]
        )
    upload = imports.import_upload(
        actor=actor, kind="people", filename=IMPORT_FILE, content=buf.getvalue().encode("utf-8")
    )
    assert upload.validation_job is not None
    worker.run_now(upload.validation_job)
    confirmed = imports.import_confirm(actor=actor, job_id=upload.pk)
    assert confirmed.commit_job is not None
    worker.run_now(confirmed.commit_job)
