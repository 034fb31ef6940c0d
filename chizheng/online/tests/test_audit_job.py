"""The online audit as a background job: audit every stored event and bring the result in;
started by the city office from the dashboard, and by the worker every night."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from chizheng.jobs.models import Job, JobState
from chizheng.jobs.services import job_start
from chizheng.jobs.tests.queue import drain

pytestmark = pytest.mark.django_db


def _run(kind: str, actor: Any = None) -> Job:
    job = job_start(actor=actor, kind=kind)
    drain()
    job.refresh_from_db()
    return job


def test_online_audit_job_audits_and_brings_the_result_in(world: Any) -> None:
    from chizheng.online.models import OnlineLearner

    OnlineLearner.objects.update(credited_hours=0)
    job = _run("online.audit", actor=world.office)
    assert job.state == JobState.SUCCEEDED and (job.rows_done, job.rows_total) == (2, 2)
    assert job.summary["segments"] > 0 and job.summary["learners_credited"] == 2
    world.a1.refresh_from_db()
    assert world.a1.credited_hours == 2  # brought back in by the job
    # The city office starts it from the dashboard; a county bureau may not.
    office = Client()
    office.force_login(world.office)
    started = office.post("/online/audit/")
    assert started.status_code == 302 and started["Location"].startswith("/jobs/")
    county = Client()
    county.force_login(world.county_a)
    assert county.post("/online/audit/").status_code == 403
