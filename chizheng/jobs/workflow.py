"""A job's states and the transitions between them, fired by the system (the worker)."""

from __future__ import annotations

from chizheng.core.workflow import SYSTEM, StateMachine, Transition, rows_in

from .models import Job, JobState, JobTransition

S = JobState
JOB_FLOW: StateMachine[Job] = StateMachine(
    [
        Transition.of("start", "开始执行", [S.QUEUED], S.RUNNING, [SYSTEM]),
        Transition.of("finish", "完成", [S.RUNNING], S.SUCCEEDED, [SYSTEM]),
        Transition.of("fail", "记为失败", [S.QUEUED, S.RUNNING], S.FAILED, [SYSTEM]),
        Transition.of("retry", "重新排队", [S.RUNNING], S.QUEUED, [SYSTEM]),
    ],
    action="job",
    log=rows_in(JobTransition, "job"),
    field="state",
)
