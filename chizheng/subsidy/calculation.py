"""The claim calculation, pure: from the stored inputs to the lines and the total.

``calculate(inputs)`` is what ``services.claim_calculate`` runs and what ``recompute`` runs
again on a stored claim to prove the figure: no database, no clock. The inputs are a
JSON-able dict (kept on the claim) so a calculation can be explained years later.

Order of the tests for each trainee (the first that applies decides the line):
1. no certificate of this class → 0 (以证换券、无证无价, §20(5));
2. his attendance rate is below the required rate → 0 (§21): the recognised hours of the
   sessions he attended (§19: a session whose recording fails the rules is not
   recognised), his makeups that count and his credited online hours (valid time only,
   §20(3)), over the class hours — compared exactly, shown rounded down;
3. the rules engine refused him at the class's submission (cooldown §20(3), post/transfer
   §19, graduating student §19) → 0; so does an overlap with another subsidised class
   found when the claim is calculated (§20(3), asked again then);
4. the standard has no amount for his certificate → 0;
5. he already holds a counted subsidy for this occupation and level → 0 (one per person);
6. otherwise payable at the standard's amount — until the class's trained count (§21:
   trained = average present at inspections) is reached; new high-skilled talents are
   served first, then new skilled talents, then the rest (§19 priority), then roster order.

A claim calculated before attendance was counted has no ``attendance`` in its inputs and
recomputes as it was calculated.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from chizheng.rules.decision import percent

from .money import ZERO, cents

PRIORITY_LABELS = {0: "新增高技能人才", 1: "新增技能人才", 2: ""}


@dataclass(frozen=True)
class Line:
    person_id: int
    certificate_id: int | None
    standard_key: str
    amount: Decimal
    payable: bool
    reason: str
    priority: str
    step: str  # the calculation of this line, in words


@dataclass(frozen=True)
class Result:
    lines: tuple[Line, ...]
    total: Decimal
    persons: int
    cap: int | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": str(self.total),
            "persons": self.persons,
            "cap": self.cap,
            "lines": [
                {
                    "person_id": x.person_id,
                    "certificate_id": x.certificate_id,
                    "standard_key": x.standard_key,
                    "amount": str(x.amount),
                    "payable": x.payable,
                    "reason": x.reason,
                    "priority": x.priority,
                    "step": x.step,
                }
                for x in self.lines
            ],
        }


def _rank(cert: dict[str, Any]) -> int:
    if cert.get("first_high_in_year"):
        return 0
    if cert.get("first_in_year"):
        return 1
    return 2


def _short_attendance(attendance: dict[str, Any] | None) -> str:
    """Why his attendance bars the subsidy (§21), or "" when it does not."""
    if not attendance:
        return ""
    rate = Decimal(attendance["attended_hours"]) / Decimal(attendance["class_hours"])
    required = Decimal(attendance["required"])
    if rate >= required:
        return ""
    return (
        f"到课率 {percent(rate, rounding=ROUND_FLOOR)} 低于 {percent(required)}"
        f"（{attendance['clause']}）"
    )


def calculate(inputs: dict[str, Any]) -> Result:
    """``inputs``: ``standard`` {key: "amount"}, ``cap`` (int or None), ``trainees``: each
    {person_id, label, certificate: {id, kind, level, key, number, first_in_year,
    first_high_in_year} | None, attendance: {rate, required, attended_hours, class_hours,
    online_hours, makeup_hours, unrecognised_sessions, clause}, refused_by: [rule …],
    overlap: the overlap found at the claim, in words ("" or absent: none),
    subsidised_by: claim id | None}."""
    standard = {k: Decimal(v) for k, v in inputs["standard"].items()}
    cap: int | None = inputs.get("cap")
    decided: dict[int, Line] = {}
    candidates: list[tuple[int, int, dict[str, Any]]] = []
    for order, t in enumerate(inputs["trainees"]):
        pid = t["person_id"]
        cert = t.get("certificate")
        key = (cert or {}).get("key") or ""
        short = _short_attendance(t.get("attendance"))
        if cert is None:
            decided[pid] = Line(pid, None, "", ZERO, False, "无证书：以证换券、无证无价", "", "0")
        elif short:
            decided[pid] = Line(pid, cert["id"], key, ZERO, False, short, "", "0")
        elif t.get("refused_by"):
            rules = "、".join(t["refused_by"])
            decided[pid] = Line(
                pid, cert["id"], key, ZERO, False, f"合规检查未通过（{rules}）", "", "0"
            )
        elif t.get("overlap"):
            decided[pid] = Line(pid, cert["id"], key, ZERO, False, t["overlap"], "", "0")
        elif not key or key not in standard:
            decided[pid] = Line(
                pid, cert["id"], key, ZERO, False, "补贴标准中无此证书类型或等级", "", "0"
            )
        elif t.get("subsidised_by"):
            decided[pid] = Line(
                pid,
                cert["id"],
                key,
                ZERO,
                False,
                f"已享受同职业同等级补贴（申领 {t['subsidised_by']}），不重复补贴",
                "",
                "0",
            )
        else:
            candidates.append((_rank(cert), order, t))
    paid = 0
    for rank, _, t in sorted(candidates, key=lambda c: (c[0], c[1])):
        cert, pid = t["certificate"], t["person_id"]
        key, amount = cert["key"], cents(standard[cert["key"]])
        if cap is not None and paid >= cap:
            decided[pid] = Line(
                pid,
                cert["id"],
                key,
                ZERO,
                False,
                f"超过培训人数（在位平均人数 {cap}），§21",
                PRIORITY_LABELS[rank],
                "0",
            )
            continue
        paid += 1
        decided[pid] = Line(
            pid, cert["id"], key, amount, True, "", PRIORITY_LABELS[rank], f"{key} = {amount}"
        )
    lines = tuple(decided[t["person_id"]] for t in inputs["trainees"])
    total = cents(sum((x.amount for x in lines), ZERO))
    return Result(lines, total, sum(1 for x in lines if x.payable), cap)


def recompute(calculation: dict[str, Any]) -> bool:
    """Does the stored result follow from the stored inputs?"""
    return calculate(calculation["inputs"]).as_dict() == calculation["result"]
