"""Imports as background jobs: progress in rows, each step once, a crash midway rolled back
and retried without a row twice; the import's status moves only by its transitions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from chizheng.accounts.models import Role, User
from chizheng.core.workflow import TransitionRefused
from chizheng.jobs.models import Job, JobState
from chizheng.jobs.tests.queue import drain
from chizheng.registry import imports
from chizheng.registry.imports import services as import_services
from chizheng.registry.models import ImportJob, Person

from . import flow
from .conftest import person_row

pytestmark = pytest.mark.django_db


def _job(job_id: int | None) -> Job:
    assert job_id is not None
    return Job.objects.get(pk=job_id)


@pytest.fixture
def office(make_user: Callable[..., User], occupations: None) -> User:
    return make_user(Role.PROGRAMME_OFFICE)


def _checked(office: User, people_csv: Callable[[list[list[str]]], bytes], n: int) -> ImportJob:
    return flow.validate(
        actor=office,
        kind="people",
        filename="p.csv",
        content=people_csv([person_row(i) for i in range(n)]),
    )


def test_both_steps_are_jobs_with_rows_done_of_the_total(
    office: User, people_csv: Callable[[list[list[str]]], bytes]
) -> None:
    upload = imports.import_upload(
        actor=office,
        kind="people",
        filename="p.csv",
        content=people_csv([person_row(i) for i in range(2500)]),
    )
    assert upload.status == ImportJob.Status.VALIDATING and upload.total_rows == 0
    assert upload.validation_job is not None
    assert upload.validation_job.state == JobState.QUEUED
    drain()
    upload.refresh_from_db()
    check = _job(upload.validation_job_id)
    assert upload.status == ImportJob.Status.VALIDATED and upload.total_rows == 2500
    assert (check.state, check.rows_done, check.rows_total) == (JobState.SUCCEEDED, 2500, 2500)
    confirmed = imports.import_confirm(actor=office, job_id=upload.pk)
    assert confirmed.status == ImportJob.Status.IMPORTING and Person.objects.count() == 0
    drain()
    write = _job(confirmed.commit_job_id)
    assert (write.state, write.rows_done, write.rows_total) == (JobState.SUCCEEDED, 2500, 2500)
    assert write.message == "已导入：新增 2500，更新 0，未变化 0，非本辖区未更新 0，跳过有误行 0"
    assert Person.objects.count() == 2500


def test_the_commit_job_run_twice_writes_the_rows_once(
    office: User, people_csv: Callable[[list[list[str]]], bytes]
) -> None:
    from chizheng.jobs.services import execute

    job = imports.import_confirm(actor=office, job_id=_checked(office, people_csv, 30).pk)
    assert execute(job_id=_job(job.commit_job_id).pk, worker_id="a") == JobState.SUCCEEDED
    # The same job handed to a second worker (its first taken for dead), and run again:
    Job.objects.filter(pk=_job(job.commit_job_id).pk).update(state=JobState.QUEUED)
    assert execute(job_id=_job(job.commit_job_id).pk, worker_id="b") == JobState.SUCCEEDED
    assert Person.objects.count() == 30
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTED and job.result["created"] == 30


def test_a_crash_midway_writes_nothing_and_the_retry_writes_each_row_once(
    office: User,
    people_csv: Callable[[list[list[str]]], bytes],
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
) -> None:
    settings.WORKER_RETRY_DELAY_SECONDS = 0
    job = imports.import_confirm(actor=office, job_id=_checked(office, people_csv, 40).pk)
    real = imports.apply_people
    calls: list[int] = []

    def crash_after_writing(**kwargs: Any) -> dict[str, Any]:
        out = real(**kwargs)  # the rows are in (within the job's transaction) ...
        calls.append(Person.objects.count())
        if len(calls) == 1:
            raise ConnectionError("the database went away")  # ... and then it crashes
        return out

    # Patched where the commit job looks it up.
    monkeypatch.setattr(import_services, "apply_people", crash_after_writing)
    drain()  # the first attempt crashes and is rolled back; the retry writes
    assert calls == [40, 40]  # each attempt saw only its own 40 rows: the first was undone
    assert Person.objects.count() == 40
    commit = _job(job.commit_job_id)
    assert commit.state == JobState.SUCCEEDED and commit.attempts == 2
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTED and job.result["created"] == 40


def test_a_crash_after_the_rows_are_in_changes_nothing_on_retry(
    office: User,
    people_csv: Callable[[list[list[str]]], bytes],
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
) -> None:
    from chizheng.jobs import services as job_services

    settings.WORKER_RETRY_DELAY_SECONDS = 0
    job = imports.import_confirm(actor=office, job_id=_checked(office, people_csv, 10).pk)
    real_finish = job_services._finish
    finishes: list[int] = []

    def crash_before_recording(*args: Any, **kwargs: Any) -> str:
        finishes.append(1)
        if len(finishes) == 1:
            raise ConnectionError("the worker lost the database after the import committed")
        return real_finish(*args, **kwargs)

    monkeypatch.setattr(job_services, "_finish", crash_before_recording)
    drain()
    assert Person.objects.count() == 10 and len(finishes) == 2
    commit = _job(job.commit_job_id)
    assert commit.state == JobState.SUCCEEDED and commit.attempts == 2
    assert "新增 10" in commit.message  # the first run's result, reported by the second


def test_a_second_confirmation_is_refused(
    office: User, people_csv: Callable[[list[list[str]]], bytes]
) -> None:
    checked = _checked(office, people_csv, 3)
    imports.import_confirm(actor=office, job_id=checked.pk)
    with pytest.raises(Exception, match="导入中，不能再次导入"):
        imports.import_confirm(actor=office, job_id=checked.pk)
    drain()
    assert (
        Person.objects.count() == 3
        and Job.objects.filter(kind="registry.import.commit").count() == 1
    )


def test_an_unreadable_file_fails_its_job_in_chinese(office: User) -> None:
    upload = flow.validate(actor=office, kind="people", filename="p.xlsx", content=b"not a zip")
    assert upload.status == ImportJob.Status.UNREADABLE and upload.content == ""
    check = _job(upload.validation_job_id)
    assert check.state == JobState.FAILED and check.attempts == 1
    assert check.error_message == "无法读取该Excel文件，请使用下载的模板（.xlsx）"
    assert upload.errors[0]["reason"] == check.error_message


def test_changes_since_the_upload_send_the_import_back(
    office: User,
    people_csv: Callable[[list[list[str]]], bytes],
    make_institution: Callable[..., Any],
) -> None:
    employer = make_institution(credit_code="91410400MA4000TEST")
    rows = [person_row(i) for i in range(3)]
    rows[1][5] = employer.credit_code
    checked = flow.validate(actor=office, kind="people", filename="p.csv", content=people_csv(rows))
    employer.delete()
    job = flow.confirm(actor=office, job_id=checked.pk)
    assert job.status == ImportJob.Status.VALIDATED and job.bad_rows == 1
    commit = _job(job.commit_job_id)
    assert (
        commit.state == JobState.FAILED and "数据发生变化，未导入任何数据" in commit.error_message
    )
    assert Person.objects.count() == 0
    # The user may now choose the good rows: a second commit job.
    job = flow.confirm(actor=office, job_id=job.pk, good_rows_only=True)
    assert job.status == ImportJob.Status.IMPORTED and Person.objects.count() == 2


# --- finding 3: ImportJob.status changes only through its declared transitions ----------


def test_a_status_assigned_directly_is_refused(
    office: User, people_csv: Callable[[list[list[str]]], bytes]
) -> None:
    checked = _checked(office, people_csv, 2)
    checked.status = ImportJob.Status.IMPORTED  # as a form or a service might
    with pytest.raises(TransitionRefused, match="只能通过规定的操作变更"):
        checked.save()
    checked.refresh_from_db()
    assert checked.status == ImportJob.Status.VALIDATED and Person.objects.count() == 0
    with pytest.raises(TransitionRefused):
        ImportJob.objects.create(
            kind="people", filename="x.csv", status=ImportJob.Status.IMPORTED, created_by=office
        )


def test_a_discarded_import_cannot_be_confirmed(
    office: User, people_csv: Callable[[list[list[str]]], bytes]
) -> None:
    checked = _checked(office, people_csv, 2)
    imports.import_discard(actor=office, job_id=checked.pk)
    with pytest.raises(Exception, match="已放弃，不能再次导入"):
        imports.import_confirm(actor=office, job_id=checked.pk)
    assert [t.name for t in ImportJob.objects.get(pk=checked.pk).transitions.all()] == [
        "checked",
        "discard",
    ]


def test_the_confirming_role_must_be_allowed_to_fire_it(
    office: User,
    people_csv: Callable[[list[list[str]]], bytes],
) -> None:
    from chizheng.registry.import_flow import IMPORT_FLOW

    checked = _checked(office, people_csv, 2)
    with pytest.raises(TransitionRefused):
        IMPORT_FLOW.fire(checked, "written", actor=office)  # only the system writes
    checked.refresh_from_db()
    assert checked.status == ImportJob.Status.VALIDATED
