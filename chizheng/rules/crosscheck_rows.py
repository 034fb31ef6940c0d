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
class AccountRow:
    """One applicant's bank account: a person's own claim (个人申请, its stored blind index) or
    an institution's class application (the index of its account)."""

    applicant: str  # "person:12" or "institution:3": one applicant however many claims
    applicant_label: str  # name（masked ID number）, or the institution's name
    account_index: str  # the blind index: compared, never decrypted
    account_masked: str
    source: str  # 个人申请 / 开班申请
    county_id: int
    institution_id: int | None
    cls: ClassRef | None  # the class of the year it concerns, if any


@dataclass(frozen=True)
class IdFormRow:
    """A registered person as his ID number's masked form shows him: region, birth date and
    sequence are the same in the 15- and 18-digit forms of one number."""

    person_id: int
    person: str  # name（masked ID number）
    id_masked: str
    birth_date: dt.date
    county_id: int
    classes: tuple[ClassRef, ...]  # the year's classes he is on


@dataclass(frozen=True)
class ClassAttendance:
    """A class's sign-in over its recorded sessions."""

    cls: ClassRef
    trainees: int  # trainees with a sign-in row
    sessions: int  # sessions whose sign-in is recorded
    signed: int  # sign-in rows (人次)
    absent: int  # of which absent


@dataclass(frozen=True)
class AbsenceRow:
    """A trainee's absences from his class's recorded sessions."""

    person_id: int
    person: str
    cls: ClassRef
    missed: tuple[tuple[int, dt.date], ...]  # (session id, date), in order


@dataclass(frozen=True)
class OnlineClaimRow:
    """A payable claim line of a trainee whose online time an audit voided in part."""

    line_id: int
    claim_id: int
    claim_status: str
    person_id: int
    person: str
    cls: ClassRef
    amount: Decimal
    counted_hours: (
        int | None
    )  # online class hours the claim's calculation counted (None: not recorded)
    credited_hours: int  # online class hours the latest audit credits
    planned_hours: int  # online class hours of the class
    void_seconds: Decimal
    audited_on: dt.date | None


@dataclass(frozen=True)
class VoucherLineRow:
    """A paid line of an institution's claim whose trainee holds a voucher bound to the class."""

    line_id: int
    claim_id: int
    person_id: int
    person: str
    cls: ClassRef
    amount: Decimal
    paid_on: dt.date | None
    voucher_id: int
    voucher_number: str
    voucher_status: str  # the status's code
    voucher_status_label: str
    line_voucher_id: int | None  # the voucher the line names


@dataclass(frozen=True)
class StillRow:
    """An evidence photo: where it is kept (a session or an inspection) and its pHash."""

    id: int
    cls: ClassRef
    kind: str  # 签到照片 / 录像截图 / 检查照片
    owner: str  # "session:12" or "inspection:3": one sign-in, recording or inspection
    where: str  # the session or inspection as the finding names it
    taken_on: dt.date
    phash: str  # 16 hex digits


@dataclass(frozen=True)
class IssuedRow:
    """A certificate a filed evaluation institution issued, beside what it filed for the
    certificate's occupation (None: the occupation is not in its scope)."""

    id: int
    number: str
    person: str
    evaluator_id: int
    evaluator: str
    county_id: int  # the evaluator's
    occupation_code: str
    skill_level: int | None
    issued_on: dt.date
    filed_levels: tuple[int, ...] | None
    cls: ClassRef | None  # the class of the year it was issued for, if any


@dataclass(frozen=True)
class SiteBooking:
    """A class booking a site, with the site's workstations for the class's occupation."""

    site_id: int
    site: str
    occupation_code: str
    workstations: int  # 0: none registered for the occupation
    cls: ClassRef
    trainees: int


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
