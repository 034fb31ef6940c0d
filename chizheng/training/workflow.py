"""The declared transitions of a class (开班申请 → … → 已考核) and the one way to fire them.

Each transition names the statuses it leaves, the status it reaches and the action of the
permission table (``accounts.permissions``) that fires it. ``fire`` checks both, updates the
class, writes a ``ClassTransition`` row and an audit event, all in the caller's transaction.
Whether the class is the actor's own (its institution, its industry department, its county)
the services ask the same table with the class. The machinery is ``core.workflow``.
"""

from __future__ import annotations

from chizheng.core.workflow import StateMachine, Transition, rows_in
from chizheng.core.workflow import TransitionRefused as TransitionRefused  # re-exported

from .models import ClassTransition, Status, TrainingClass

REVIEWABLE: set[str] = {Status.SUBMITTED, Status.INDUSTRY_FIRST, Status.HR_REVIEW, Status.HR_FIRST}
_t = Transition.of

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        _t(
            "submit",
            "提交申请",
            {Status.DRAFT, Status.RETURNED},
            Status.SUBMITTED,
            action="class.apply",
        ),
        _t(
            "withdraw",
            "撤回申请",
            {Status.DRAFT, Status.SUBMITTED, Status.RETURNED},
            Status.WITHDRAWN,
            action="class.apply",
        ),
        _t(
            "industry_first",
            "行业主管部门初审同意",
            {Status.SUBMITTED},
            Status.INDUSTRY_FIRST,
            action="class.review.industry",
        ),
        _t(
            "industry_second",
            "行业主管部门复核同意",
            {Status.INDUSTRY_FIRST},
            Status.HR_REVIEW,
            action="class.review.industry",
        ),
        _t(
            "hr_first",
            "人社部门初审同意",
            {Status.HR_REVIEW},
            Status.HR_FIRST,
            action="class.review.hr",
        ),
        _t(
            "hr_second",
            "人社部门复核同意",
            {Status.HR_FIRST},
            Status.APPROVED,
            action="class.review.hr",
        ),
        _t("return", "退回修改", REVIEWABLE, Status.RETURNED, action="class.review"),
        _t("reject", "不予批准", REVIEWABLE, Status.REJECTED, action="class.review"),
        _t("start", "开班", {Status.APPROVED}, Status.IN_TRAINING, action="class.deliver"),
        _t(
            "register_assessment",
            "登记结业考核",
            {Status.IN_TRAINING},
            Status.ASSESSMENT_REGISTERED,
            action="assessment.register",
        ),
        _t(
            "record_results",
            "录入考核结果",
            {Status.ASSESSMENT_REGISTERED},
            Status.ASSESSED,
            action="assessment.record",
        ),
    ]
}


MACHINE: StateMachine[TrainingClass] = StateMachine(
    TRANSITIONS.values(), action="class", log=rows_in(ClassTransition, "training_class")
)
fire = MACHINE.fire
available = MACHINE.available
