"""The declared transitions of a class (开班申请 → … → 已考核) and the one way to fire them.

Each transition names the statuses it leaves, the status it reaches and the roles that may
fire it. ``fire`` checks both, updates the class, writes a ``ClassTransition`` row and an
audit event, all in the caller's transaction. Who *within* a role may act (the class's own
institution, its industry department, its county) is checked by the services. The machinery is ``core.workflow``.
"""

from __future__ import annotations

from collections.abc import Iterable

from chizheng.accounts.models import Role
from chizheng.core.workflow import StateMachine, Transition, rows_in
from chizheng.core.workflow import TransitionRefused as TransitionRefused  # re-exported

from .models import ClassTransition, Status, TrainingClass


def _t(
    name: str, label: str, sources: Iterable[str], target: str, roles: Iterable[str]
) -> Transition:
    return Transition.of(name, label, sources, target, roles)


INSTITUTION: set[str] = {Role.INSTITUTION}
INDUSTRY: set[str] = {Role.INDUSTRY}
HR: set[str] = {Role.COUNTY_HR, Role.PROGRAMME_OFFICE}
REVIEWABLE: set[str] = {Status.SUBMITTED, Status.INDUSTRY_FIRST, Status.HR_REVIEW, Status.HR_FIRST}

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        _t("submit", "提交申请", {Status.DRAFT, Status.RETURNED}, Status.SUBMITTED, INSTITUTION),
        _t(
            "withdraw",
            "撤回申请",
            {Status.DRAFT, Status.SUBMITTED, Status.RETURNED},
            Status.WITHDRAWN,
            INSTITUTION,
        ),
        _t(
            "industry_first",
            "行业主管部门初审同意",
            {Status.SUBMITTED},
            Status.INDUSTRY_FIRST,
            INDUSTRY,
        ),
        _t(
            "industry_second",
            "行业主管部门复核同意",
            {Status.INDUSTRY_FIRST},
            Status.HR_REVIEW,
            INDUSTRY,
        ),
        _t("hr_first", "人社部门初审同意", {Status.HR_REVIEW}, Status.HR_FIRST, HR),
        _t("hr_second", "人社部门复核同意", {Status.HR_FIRST}, Status.APPROVED, HR),
        _t("return", "退回修改", REVIEWABLE, Status.RETURNED, INDUSTRY | HR),
        _t("reject", "不予批准", REVIEWABLE, Status.REJECTED, INDUSTRY | HR),
        _t("start", "开班", {Status.APPROVED}, Status.IN_TRAINING, INSTITUTION),
        _t(
            "register_assessment",
            "登记结业考核",
            {Status.IN_TRAINING},
            Status.ASSESSMENT_REGISTERED,
            INSTITUTION | {Role.EVALUATOR},
        ),
        _t(
            "record_results",
            "录入考核结果",
            {Status.ASSESSMENT_REGISTERED},
            Status.ASSESSED,
            {Role.EVALUATOR},
        ),
    ]
}


MACHINE: StateMachine[TrainingClass] = StateMachine(
    TRANSITIONS.values(), action="class", log=rows_in(ClassTransition, "training_class")
)
fire = MACHINE.fire
available = MACHINE.available
