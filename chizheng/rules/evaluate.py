"""The one entry point the workflow, the API and the CLI use to apply the rules.

``evaluate(facts, on=date)`` runs every rule registered for the kind of facts given (a class
application also runs the trainee rules on each roster line) with the policy in force on
``on``, and returns all decisions, not just the first failure. Pure Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# The rule modules register themselves on import; evaluate is where they are all loaded.
from . import (
    assessment_rules,
    centre_rules,
    claim_rules,
    class_rules,
    evidence_rules,
    outcome_rules,
    trainee_rules,
)
from .decision import REGISTRY, Decision, Outcome, RuleSpec, Subject, rules_for
from .facts import (
    Assessment,
    Attendance,
    CertificateCounts,
    Claim,
    ClassApplication,
    Enrolment,
    Makeup,
    Satisfaction,
    Session,
    TraineeAttendance,
    TrainingCentre,
)
from .params import Policy, PolicyAt, current
from .workdays import WorkdayCalendar

_RULE_MODULES = (
    class_rules,
    centre_rules,
    trainee_rules,
    assessment_rules,
    evidence_rules,
    outcome_rules,
    claim_rules,
)

# The kinds of facts the engine judges, and the subject of the rules that judge each.
SUBJECT_OF: dict[type, Subject] = {
    ClassApplication: "class",
    Enrolment: "enrolment",
    Assessment: "assessment",
    Session: "session",
    Attendance: "attendance",
    Makeup: "makeup",
    TraineeAttendance: "trainee_attendance",
    Satisfaction: "satisfaction",
    CertificateCounts: "certificates",
    TrainingCentre: "centre",
    Claim: "claim",
}


@dataclass(frozen=True)
class Report:
    decisions: tuple[Decision, ...]
    date: dt.date
    policy: str

    @property
    def failed(self) -> tuple[Decision, ...]:
        return tuple(d for d in self.decisions if d.outcome is Outcome.FAIL)

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict[str, Any]:
        counts = {o.value: sum(1 for d in self.decisions if d.outcome is o) for o in Outcome}
        return {
            "date": self.date.isoformat(),
            "policy": self.policy,
            "ok": self.ok,
            "counts": counts,
            "decisions": [d.as_dict() for d in self.decisions],
        }


def all_rules() -> list[RuleSpec]:
    return sorted(REGISTRY.values(), key=lambda r: r.code)


def _run(specs: Iterable[RuleSpec], facts: Any, at: PolicyAt) -> list[Decision]:
    return [d for spec in specs if (d := spec(facts, at)) is not None]


def decide(facts: Any, at: PolicyAt) -> list[Decision]:
    """Every applicable decision on ``facts`` under the policy ``at``."""
    try:
        subject = SUBJECT_OF[type(facts)]
    except KeyError:
        raise TypeError(f"no rules judge {type(facts).__name__}") from None
    out = _run(rules_for(subject), facts, at)
    if isinstance(facts, ClassApplication):
        enrolment_rules = rules_for("enrolment")
        for trainee in facts.roster:
            out += _run(enrolment_rules, Enrolment(trainee, facts), at)
    return out


def evaluate(
    facts: Any,
    *,
    on: dt.date,
    policy: Policy | None = None,
    calendar: WorkdayCalendar | None = None,
) -> Report:
    policy = policy or current()
    at = policy.at(on, calendar=calendar)
    return Report(tuple(decide(facts, at)), on, policy.fingerprint)


def evaluate_many(
    items: Iterable[Any],
    *,
    on: dt.date,
    policy: Policy | None = None,
    calendar: WorkdayCalendar | None = None,
) -> Report:
    """Several facts (a class's sessions, makeups …) judged together on one date."""
    policy = policy or current()
    at = policy.at(on, calendar=calendar)
    return Report(tuple(d for f in items for d in decide(f, at)), on, policy.fingerprint)
