"""Reads of the jobs area, scoped by the actor: a user sees the jobs he started; officials
with city scope see the city's (the system's nightly jobs among them). Only the starter
downloads a job's file (it was made within his scope), or for the system's jobs, the city
office."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from chizheng.accounts.access import access_by_id, can, visible
from chizheng.accounts.models import ScopeKind, User

from .models import Job, JobFile, JobLogEntry, JobState


def job_list(*, actor: User, kind: str = "", state: str = "") -> QuerySet[Job]:
    qs = visible(
        actor,
        Job.objects.select_related("created_by").annotate(
            has_file=Exists(JobFile.objects.filter(job=OuterRef("pk")))
        ),
    )
    if actor.scope_kind != ScopeKind.CITY:
        qs = qs.filter(created_by=actor)
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    return qs


def job_for(*, actor: User, job_id: object) -> Job:
    return access_by_id(actor, job_list(actor=actor), job_id)


def job_failure(*, actor: User, job_id: int | None) -> str:
    """The Chinese error of a job of the actor's that failed, or ""."""
    if job_id is None:
        return ""
    job = job_list(actor=actor).filter(pk=job_id, state=JobState.FAILED).first()
    return job.error_message if job else ""


def job_log(*, job: Job, limit: int = 500) -> list[JobLogEntry]:
    """The latest ``limit`` lines, oldest first."""
    lines = list(JobLogEntry.objects.filter(job=job).order_by("-id")[:limit])
    return lines[::-1]


def file_name(*, job: Job) -> str:
    """The name of the job's file, or "" (without reading the file itself)."""
    return JobFile.objects.filter(job=job).values_list("filename", flat=True).first() or ""


def may_download(*, actor: User, job: Job) -> bool:
    if job.created_by_id is None:
        return can(actor, "audit.verify")
    return job.created_by_id == actor.pk


def job_file(*, actor: User, job_id: object) -> JobFile | None:
    """The file of a job the actor may download, or None (no file, or not his)."""
    job = job_for(actor=actor, job_id=job_id)
    if not may_download(actor=actor, job=job):
        return None
    return JobFile.objects.filter(job=job).first()
