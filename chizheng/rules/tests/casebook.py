"""Loads the rule cases of ``chizheng/rules/cases/*.yaml`` (format in docs/rules.md) and
builds facts from them: the defaults of ``defaults.yaml`` merged with what a case changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter

from chizheng.rules import facts

CASES_DIR = Path(__file__).resolve().parents[1] / "cases"
DEFAULTS = yaml.safe_load((CASES_DIR / "defaults.yaml").read_text(encoding="utf-8"))

KINDS: dict[str, type] = {
    "class_application": facts.ClassApplication,
    "assessment": facts.Assessment,
    "session": facts.Session,
    "attendance": facts.Attendance,
    "makeup": facts.Makeup,
    "trainee_attendance": facts.TraineeAttendance,
    "satisfaction": facts.Satisfaction,
    "certificates": facts.CertificateCounts,
    "centre": facts.TrainingCentre,
    "claim": facts.Claim,
    "voucher": facts.VoucherUse,
    "trainee": facts.Trainee,
}
OUTCOMES = {"pass", "fail", "warn", "not_applicable"}


@dataclass(frozen=True)
class Case:
    file: str
    rule: str
    kind: str
    name: str
    date: dt.date
    facts: dict[str, Any]
    expect: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.file}::{self.rule}::{self.name}"


def merge(base: Any, change: Any) -> Any:
    if isinstance(base, dict) and isinstance(change, dict):
        out = dict(base)
        for k, v in change.items():
            out[k] = merge(base.get(k), v)
        return out
    return change


def load_cases() -> Iterator[Case]:
    for path in sorted(CASES_DIR.glob("*.yaml")):
        if path.name == "defaults.yaml":
            continue
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for rule, body in doc.items():
            for c in body["cases"]:
                yield Case(
                    path.name,
                    rule,
                    body["facts"],
                    c["name"],
                    c["date"],
                    c.get("facts") or {},
                    c["expect"],
                )


def build(kind: str, changes: dict[str, Any]) -> Any:
    if kind == "enrolment":
        app = build("class_application", changes.get("class_application") or {})
        trainee = build("trainee", changes.get("trainee") or {})
        return facts.Enrolment(trainee, app)
    return TypeAdapter(KINDS[kind]).validate_python(merge(DEFAULTS[kind], changes))
