"""For the import tests: upload or confirm, then let the worker run the job."""

from __future__ import annotations

from typing import Any

from chizheng.jobs.tests.queue import drain
from chizheng.registry import imports
from chizheng.registry.models import ImportJob


def validate(**kwargs: Any) -> ImportJob:
    job = imports.import_upload(**kwargs)
    drain()
    job.refresh_from_db()
    return job


def confirm(**kwargs: Any) -> ImportJob:
    job = imports.import_confirm(**kwargs)
    drain()
    job.refresh_from_db()
    return job
