"""Starting a job: the job and its queue entry together; the same key gives the same job."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from chizheng.accounts.models import Role, User
from chizheng.core.errors import ValidationError
from chizheng.jobs.models import Job, JobState
from chizheng.jobs.services import job_start

pytestmark = pytest.mark.django_db


def test_a_job_and_its_queue_entry_are_made_together(
    test_kinds: None, make_user: Callable[..., User]
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    job = job_start(actor=office, kind="test.counts", params={"rows": 2})
    assert job.state == JobState.QUEUED and job.city_id == office.city_id
    entry = DBTaskResult.objects.get(id=job.task_id)
    assert entry.args_kwargs == {"args": [job.pk], "kwargs": {}}
    assert job.transitions.count() == 0 and [e.message for e in job.log.all()] == [
        "已加入队列：计数"
    ]


def test_rolled_back_start_leaves_no_queue_entry(
    test_kinds: None, make_user: Callable[..., User]
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    with pytest.raises(RuntimeError), transaction.atomic():
        job_start(actor=office, kind="test.counts")
        raise RuntimeError("the caller's transaction fails")
    assert Job.objects.count() == 0 and DBTaskResult.objects.count() == 0


def test_the_same_key_twice_is_one_job(test_kinds: None, make_user: Callable[..., User]) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    first = job_start(actor=office, kind="test.counts", idempotency_key="once")
    second = job_start(actor=office, kind="test.counts", idempotency_key="once")
    assert first.pk == second.pk
    assert Job.objects.count() == 1 and DBTaskResult.objects.count() == 1


def test_an_unknown_kind_is_refused(make_user: Callable[..., User]) -> None:
    with pytest.raises(ValidationError) as refused:
        job_start(actor=make_user(Role.PROGRAMME_OFFICE), kind="nope")
    assert "不支持的任务类型" in refused.value.message
