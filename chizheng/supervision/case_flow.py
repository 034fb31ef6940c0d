"""The declared states of a supervision case (核查案件) and the one way to change them:
opened → investigating → concluded as cleared (排除), recovery (追缴) or sanction (处理).
Each transition writes a ``CaseTransition`` row and an audit event (``core.workflow``)."""

from __future__ import annotations

from chizheng.core.workflow import StateMachine, Transition, rows_in

from .models import Case, CaseTransition

S = Case.State
TRANSITIONS = [
    Transition.of(
        "investigate", "开始核查", {S.OPENED}, S.INVESTIGATING, action="case.investigate"
    ),
    Transition.of("clear", "办结（排除）", {S.INVESTIGATING}, S.CLEARED, action="case.conclude"),
    Transition.of("recover", "办结（追缴）", {S.INVESTIGATING}, S.RECOVERY, action="case.conclude"),
    Transition.of(
        "sanction",
        "办结（处理）",
        {S.INVESTIGATING},
        S.SANCTION,
        action="case.conclude.sanction",
    ),
]
# The conclusions, by the state each reaches.
CONCLUSIONS = {"cleared": "clear", "recovery": "recover", "sanction": "sanction"}

CASES: StateMachine[Case] = StateMachine(
    TRANSITIONS, action="case", log=rows_in(CaseTransition, "case"), field="state"
)
