"""The one task the queue holds: run a job. Everything a person sees is on the ``Job``."""

from __future__ import annotations

from django_tasks import TaskContext, task


@task(takes_context=True)
def run_job(context: TaskContext, job_id: int) -> str:
    from .services import execute

    worker_ids = context.task_result.worker_ids
    return execute(job_id=job_id, worker_id=worker_ids[-1] if worker_ids else "")
