"""Progress is committed while the job works, so that a page polling it sees it move."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection

from chizheng.accounts.models import Role, User
from chizheng.jobs.models import Job, JobState
from chizheng.jobs.services import job_start

from . import handlers
from .queue import drain

pytestmark = pytest.mark.django_db(transaction=True)


def test_rows_done_are_seen_before_the_job_ends(
    test_kinds: None, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    from chizheng.jobs import progress

    monkeypatch.setattr(progress, "WRITE_EVERY_S", 0)  # every row, not twice a second
    job = job_start(actor=make_user(Role.PROGRAMME_OFFICE), kind="test.counts", params={"rows": 3})
    drain()
    assert handlers.SEEN == [3]  # read while the job was still running
    assert Job.objects.get(pk=job.pk).rows_done == 3


def test_progress_inside_the_writing_transaction(
    test_kinds: None, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    from chizheng.jobs import progress

    monkeypatch.setattr(progress, "WRITE_EVERY_S", 0)
    job = job_start(actor=make_user(Role.PROGRAMME_OFFICE), kind="test.in_transaction")
    drain()
    if connection.vendor == "postgresql":
        # Written aside, on its own connection: another connection sees it at once.
        assert handlers.SEEN == [4]
    else:
        # SQLite's one writer is this transaction: the figures wait for its end.
        assert handlers.SEEN == [0]
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and (job.rows_done, job.rows_total) == (4, 4)
