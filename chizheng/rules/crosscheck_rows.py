"""The rows the supervision cross-checks read (``crosschecks``) and the finding they return.

Plain frozen dataclasses, filled set-based by ``chizheng.supervision.selectors`` from the
records of one city-year; personal data arrives masked (a person's label carries the masked
ID number, a phone its masked form and its blind index, never the number). Pure Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .facts import Session


@dataclass(frozen=True)
class ClassRef:
    """A class as the findings name it: its batch, institution, county and period."""

    id: int
    label: str  # 开班批次 and occupation
    institution_id: int
    institution: str
    county_id: int
    county: str
    start: dt.date
    end: dt.date

    def subject(self) -> dict[str, Any]:
        return {"kind": "class", "id": self.id, "label": self.label}

    def institution_subject(self) -> dict[str, Any]:
        return {"kind": "institution", "id": self.institution_id, "label": self.institution}


@dataclass(frozen=True)
class EnrolmentRow:
    person_id: int
    person: str  # name（masked ID number）
    cls: ClassRef


@dataclass(frozen=True)
class InspectionRow:
    id: int
    cls: ClassRef
    kind: str  # 开班当日检查 / 培训期间检查
    held_on: dt.date
    present: int
    signed_in: int


@dataclass(frozen=True)
class SessionRow:
    id: int
    cls: ClassRef
    facts: Session  # the session as the §19 rules read it
    claimed: bool  # the class has a subsidy claim
    present: int  # trainees signed in at it


@dataclass(frozen=True)
class PhoneRow:
    person_id: int
    person: str
    phone_index: str  # the blind index: compared, never decrypted
    phone_masked: str
    cls: ClassRef  # a class of the year the person is on


@dataclass(frozen=True)
class CertificateRow:
    id: int
    number: str
    person: str
    issued_on: dt.date
    cls: ClassRef
    assessment_on: dt.date | None


@dataclass(frozen=True)
class TeacherBooking:
    teacher_id: int
    identity: str  # the teacher's ID-number blind index: one person across institutions
    teacher: str  # name（masked ID number）
    cls: ClassRef


@dataclass(frozen=True)
class ClassEvidence:
    """A class with certificates, and its offline sessions."""

    cls: ClassRef
    certificates: int
    sessions: tuple[Session, ...] = ()


@dataclass(frozen=True)
class Found:
    """One finding: what was compared, who it concerns, how much it weighs."""

    kind: str
    clause: str
    key: str  # stable identity of the finding within its year (kind and subjects)
    summary: str  # one line, Chinese
    subjects: tuple[dict[str, Any], ...]
    evidence: dict[str, Any]  # {"columns": [...], "rows": [[...]], "compared": "..."}
    score: Decimal
    county_id: int | None
    institution_id: int | None
    classes: tuple[int, ...] = field(default=())  # the classes it concerns


def evidence(columns: list[str], rows: list[list[Any]], compared: str) -> dict[str, Any]:
    def plain(v: Any) -> Any:
        return v.isoformat() if isinstance(v, dt.date) else v

    return {"columns": columns, "rows": [[plain(v) for v in r] for r in rows], "compared": compared}
