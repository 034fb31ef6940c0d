"""What a rule returns (``Decision``) and the registry of rules (``RuleSpec``, ``rule``).

Pure Python. A rule is a function ``(facts, policy_at) -> Decision``; it is registered with
its stable code, the kind of facts it judges, its clause and the policy parameters it reads,
so that ``evaluate`` can run every applicable rule and ``rules list`` can print them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from .params import PolicyAt

Subject = Literal[
    "class",
    "enrolment",
    "assessment",
    "session",
    "attendance",
    "makeup",
    "trainee_attendance",
    "satisfaction",
    "certificates",
    "centre",
    "claim",
    "voucher",
]


class Outcome(StrEnum):
    PASS = "pass"  # noqa: S105 (an outcome, not a password)
    WARN = "warn"  # allowed, but someone should look (or a figure was derived)
    FAIL = "fail"  # not allowed / not recognised


@dataclass(frozen=True)
class Decision:
    """One rule applied to one set of facts, self-explaining.

    ``compared``/``compared_en`` state the values compared ("班级人数 85 > 80"); ``remedy``
    says what the user can do (empty on pass); ``parameters`` maps each policy parameter
    read to the date its version took effect, and ``policy`` is the fingerprint of the
    policy files, so a decision can be reproduced later.
    """

    rule: str
    outcome: Outcome
    clause: str
    subject: str
    compared: str
    compared_en: str
    remedy: str = ""
    remedy_en: str = ""
    values: Mapping[str, Any] = field(default_factory=dict)
    parameters: Mapping[str, str] = field(default_factory=dict)
    policy: str = ""
    date: dt.date | None = None

    @property
    def failed(self) -> bool:
        return self.outcome is Outcome.FAIL

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "outcome": self.outcome.value,
            "clause": self.clause,
            "subject": self.subject,
            "compared": self.compared,
            "compared_en": self.compared_en,
            "remedy": self.remedy,
            "remedy_en": self.remedy_en,
            "values": {k: _jsonable(v) for k, v in self.values.items()},
            "parameters": dict(self.parameters),
            "policy": self.policy,
            "date": self.date.isoformat() if self.date else None,
        }


def _jsonable(v: Any) -> Any:
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    return str(v)  # Decimal and codes: exact text, never a float


# A rule's body: (facts, policy at a date, its own spec) -> Decision, or None when the rule
# does not apply to these facts (the online-share rule on a class with no online hours);
# evaluate leaves it out rather than reporting a pass it did not check.
RuleBody = Callable[[Any, PolicyAt, "RuleSpec"], "Decision | None"]


@dataclass(frozen=True)
class RuleSpec:
    code: str
    subject: Subject
    clause: str  # cited when the rule reads no parameter; else the parameter's clause wins
    title: str
    title_en: str
    parameters: tuple[str, ...]
    body: RuleBody

    def __call__(self, facts: Any, at: PolicyAt) -> Decision | None:
        """Apply the rule: ``(facts, policy_at) -> Decision | None``."""
        return self.body(facts, at, self)

    def clause_at(self, at: PolicyAt) -> str:
        """The clause as the policy in force cites it, so a renumbered document needs no code."""
        if not self.parameters:
            return self.clause
        clauses = dict.fromkeys(at.clause(p) for p in self.parameters)
        return "、".join(clauses)

    def decide(
        self,
        at: PolicyAt,
        *,
        ok: bool,
        subject: str,
        compared: str,
        compared_en: str,
        remedy: str = "",
        remedy_en: str = "",
        values: Mapping[str, Any] | None = None,
        warn: bool = False,
        basis: str = "",
    ) -> Decision:
        """``basis``: the clause this decision rests on when it is not the rule's own (a
        sanction in force cites the clause it was imposed under)."""
        outcome = Outcome.FAIL if not ok else Outcome.WARN if warn else Outcome.PASS
        return Decision(
            rule=self.code,
            outcome=outcome,
            clause=basis or self.clause_at(at),
            subject=subject,
            compared=compared,
            compared_en=compared_en,
            remedy="" if outcome is Outcome.PASS else remedy,
            remedy_en="" if outcome is Outcome.PASS else remedy_en,
            values=dict(values or {}),
            parameters={p: at.version(p).valid_from.isoformat() for p in self.parameters},
            policy=at.fingerprint,
            date=at.date,
        )


REGISTRY: dict[str, RuleSpec] = {}


def rule(
    code: str,
    *,
    subject: Subject,
    clause: str,
    title: str,
    title_en: str,
    parameters: tuple[str, ...] = (),
) -> Callable[[RuleBody], RuleSpec]:
    """Register a rule body; the spec returned is callable as ``(facts, at)``.

    The body receives its own spec so that it builds its Decision with ``spec.decide``
    (code, clause, parameter versions and fingerprint filled in one place).
    """

    def register(body: RuleBody) -> RuleSpec:
        if code in REGISTRY:
            raise ValueError(f"rule {code} registered twice")
        spec = RuleSpec(code, subject, clause, title, title_en, parameters, body)
        REGISTRY[code] = spec
        return spec

    return register


def rules_for(subject: Subject) -> list[RuleSpec]:
    return [r for r in REGISTRY.values() if r.subject == subject]


def percent(share: Decimal, *, rounding: str | None = None) -> str:
    """A share as the document writes it: 0.625 -> '62.5%'. ``rounding`` (a ``decimal``
    rounding mode): ROUND_FLOOR where a share below a limit must never print as the limit."""
    return f"{(share * 100).quantize(Decimal('0.1'), rounding=rounding)}%"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (1-31 + 1 month = 2-28):
    "一个月" and "一月" of §19 and §20(3) are calendar months. The one definition; the
    registry's sanctions use it too."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
