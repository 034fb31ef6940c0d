"""The two-level review of 附件2, one component for every object reviewed: the abstract step
model (``models``), what the reviewer saw (``seen``), and the chain of levels with the service
that opens, checks and records its steps (``chain``). Class applications and subsidy claims
are reviewed through it; a new stage declares its ``Chain`` and a ``ReviewStep`` model.
"""

from .chain import (
    Chain,
    Level,
    check_may_review,
    deadline_days,
    latest,
    may_take,
    open_step,
    open_steps_for,
    pending_step,
    record_decision,
    seen_of,
)
from .models import Decision, ReviewStep, Step, Versioned, decision_choices
from .seen import Seen, StaleReview, check_seen

__all__ = [
    "Chain",
    "Decision",
    "Level",
    "ReviewStep",
    "Seen",
    "StaleReview",
    "Step",
    "Versioned",
    "check_may_review",
    "check_seen",
    "deadline_days",
    "decision_choices",
    "latest",
    "may_take",
    "open_step",
    "open_steps_for",
    "pending_step",
    "record_decision",
    "seen_of",
]
