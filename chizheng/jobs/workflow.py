"""A job's states and the transitions between them, fired by the system (the worker): the
permission table grants ``job.run`` to ``SYSTEM`` alone."""

from __future__ import annotations

from chizheng.core.workflow import StateMachine, Transition, rows_in

from .models import Job, JobState, JobTransition

S = JobState
JOB_FLOW: StateMachine[Job] = StateMachine(
    [
        Transition.of("start", "开始执行", [S.QUEUED], S.RUNNING, action="job.run"),
        Transition.of("finish", "完成", [S.RUNNING], S.SUCCEEDED, action="job.run"),
        Transition.of("fail", "记为失败", [S.QUEUED, S.RUNNING], S.FAILED, action="job.run"),
        Transition.of("retry", "重新排队", [S.RUNNING], S.QUEUED, action="job.run"),
    ],
    action="job",
    log=rows_in(JobTransition, "job"),
    field="state",
)
