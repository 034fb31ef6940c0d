"""The facts the rules judge: frozen dataclasses, one per thing a rule looks at.

Pure Python. The workflow builds them from the database, the CLI from JSON (``facts_json``);
the field names are the JSON keys documented in docs/rules.md. Facts carry what the rules
need and nothing the rules would have to look up: an institution comes with its catalog
entries, sanctions and satisfaction results; a trainee with his earlier subsidised trainings.
Counts are integers, shares are computed by the rules as exact ``Decimal`` ratios.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from pydantic import ConfigDict, with_config

# 职业资格 / 职业技能等级 / 特种作业操作 / 特种设备作业 / 专项职业能力 / 培训合格 (§20(4))
CertificateType = Literal[
    "vocational_qualification",
    "skill_level",
    "special_operation",
    "special_equipment",
    "special_ability",
    "training_pass",
]
CERTIFICATE_NAMES: dict[str, str] = {
    "vocational_qualification": "职业资格证书",
    "skill_level": "职业技能等级证书",
    "special_operation": "特种作业操作证",
    "special_equipment": "特种设备作业证",
    "special_ability": "专项职业能力证书",
    "training_pass": "培训合格证书",
}
# The certificates that carry a skill level (五级 初级工 … 一级 高级技师): a class or an
# assessment leading to one names its level; the others have none.
LEVELLED_CERTIFICATES: frozenset[str] = frozenset({"vocational_qualification", "skill_level"})
TrainingMode = Literal["offline", "online", "blended"]  # 线下 / 纯线上 / 线上+线下
SanctionKind = Literal["suspension", "blacklist"]  # 暂停（整改）/ 黑名单
Applicant = Literal["institution", "enterprise", "individual"]  # who applied for assessment
SessionKind = Literal["theory", "practical"]
Scope = Literal["institution", "county", "city"]

_STRICT = ConfigDict(extra="forbid")


@with_config(_STRICT)
@dataclass(frozen=True)
class CatalogEntry:
    """The institution is in the year's catalog (目录清单) for ``occupation`` on these dates;
    a lawful change of occupation starts a new entry on the change date (§21)."""

    occupation: str
    valid_from: dt.date
    until: dt.date | None = None  # inclusive

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.until is None or day <= self.until)


@with_config(_STRICT)
@dataclass(frozen=True)
class Sanction:
    kind: SanctionKind
    valid_from: dt.date
    until: dt.date | None = None  # inclusive; None = until lifted (dynamic exit, §20(4))
    reason: str = ""
    clause: str = ""  # its legal basis: §19 for a satisfaction suspension, §20(4) a blacklist

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.until is None or day <= self.until)


@with_config(_STRICT)
@dataclass(frozen=True)
class SatisfactionResult:
    surveyed_on: dt.date
    satisfied: int
    responses: int
    class_ref: str = ""

    @property
    def share(self) -> Decimal:
        return Decimal(self.satisfied) / Decimal(self.responses) if self.responses else Decimal(0)


@with_config(_STRICT)
@dataclass(frozen=True)
class Institution:
    code: str
    name: str = ""
    catalog: tuple[CatalogEntry, ...] = ()
    sanctions: tuple[Sanction, ...] = ()
    satisfaction: tuple[SatisfactionResult, ...] = ()
    fulltime_teachers: dict[str, int] = field(default_factory=dict)  # occupation -> count


@with_config(_STRICT)
@dataclass(frozen=True)
class Platform:
    """An online platform (互联网平台) used for the class's online theory."""

    code: str
    in_catalog: bool  # in the province's catalog (目录清单) on the class's start date
    violations: tuple[dt.date, ...] = ()  # dates of violations that bar it (§20(3))


@with_config(_STRICT)
@dataclass(frozen=True)
class PriorTraining:
    """An earlier subsidised training of the same person, from the history."""

    class_ref: str
    started_on: dt.date
    assessed_on: dt.date | None = None  # None = not yet assessed
    ends_on: dt.date | None = None  # the class's planned last day (None: not known)


@with_config(_STRICT)
@dataclass(frozen=True)
class Student:
    school: str
    major: str
    graduation_date: dt.date  # expected
    major_occupations: tuple[str, ...] = ()  # occupations the major trains for


@with_config(_STRICT)
@dataclass(frozen=True)
class Trainee:
    ref: str  # the roster line, shown in decisions instead of the ID number
    id_number: str
    name: str = ""
    post_occupation: str | None = None  # enterprise employee: occupation of his post
    former_occupation: str | None = None  # transferred employee (转岗职工): former post
    student: Student | None = None
    history: tuple[PriorTraining, ...] = ()


@with_config(_STRICT)
@dataclass(frozen=True)
class ClassApplication:
    """A class application (开班申请, 附件2) with its roster."""

    ref: str
    institution: Institution
    occupation: str
    level: int | None  # 5 初级工 … 1 高级技师; None for a certificate without levels
    start_date: dt.date
    planned_trainees: int
    teachers: int
    workstations: int
    class_hour_minutes: int
    class_hours: int
    practical_hours: int
    certificate_type: CertificateType  # what the class leads to
    certificates_available: tuple[CertificateType, ...]  # for this occupation and level
    mode: TrainingMode = "offline"
    online_theory_hours: int = 0
    platform: Platform | None = None
    prescribed_class_hours: int | None = None  # 有明确学时规定的 (§19)
    apprenticeship: bool = False  # 企业新型学徒制
    apprentices_in_occupation: int = 0  # at the institution, this class included
    roster: tuple[Trainee, ...] = ()
    end_date: dt.date | None = None  # the planned last day of training

    @property
    def theory_hours(self) -> int:
        return self.class_hours - self.practical_hours


@dataclass(frozen=True)
class Enrolment:
    """One trainee on one class: what the trainee rules judge."""

    trainee: Trainee
    application: ClassApplication


@with_config(_STRICT)
@dataclass(frozen=True)
class Assessment:
    """A final assessment (结业考核 / 鉴定 / 评价) of a class."""

    class_ref: str
    occupation: str
    level: int | None  # None for a certificate without levels
    mode: TrainingMode  # of the training assessed
    certificate_type: CertificateType
    certificates_available: tuple[CertificateType, ...]
    registered_on: dt.date
    held_on: dt.date
    applied_by: Applicant = "institution"


@with_config(_STRICT)
@dataclass(frozen=True)
class Session:
    """One session (当班) of a class, with its recording evidence."""

    class_ref: str
    ref: str
    kind: SessionKind
    held_on: dt.date
    class_hours: int
    minutes: int
    recorded_minutes: int  # total minutes covered by recording
    # practical: the longest continuous recording within each class hour of the session
    longest_recording_per_class_hour: tuple[int, ...] = ()
    shows_all_trainees: bool = True


@with_config(_STRICT)
@dataclass(frozen=True)
class Attendance:
    """Who came: counted at opening and present at inspections (§21)."""

    class_ref: str
    planned_trainees: int
    present_at_opening: int
    present_at_inspections: tuple[int, ...] = ()
    # sign-in sheets counted at the same inspections (opening first, then each during one)
    signed_in_at_opening: int | None = None
    signed_in_at_inspections: tuple[int, ...] = ()


@with_config(_STRICT)
@dataclass(frozen=True)
class Makeup:
    """A makeup (补课) of a trainee who missed class hours."""

    class_ref: str
    trainee_ref: str
    class_hours: int
    completed_on: dt.date
    final_assessment_on: dt.date
    approved_on: dt.date | None = None  # by the local HR bureau


@with_config(_STRICT)
@dataclass(frozen=True)
class AttendedSession:
    """One offline session of a class as it stands for one trainee: its class hours, those
    recognised under §19's recording rules (``evidence_rules.recognised_hours``), and
    whether he signed in."""

    ref: str
    class_hours: int
    recognised_hours: int
    present: bool


@with_config(_STRICT)
@dataclass(frozen=True)
class TraineeMakeup:
    """A makeup (补课) of one session by the trainee (§21)."""

    session_ref: str
    class_hours: int
    completed_on: dt.date
    approved_on: dt.date | None = None  # by the local HR bureau


@with_config(_STRICT)
@dataclass(frozen=True)
class TraineeAttendance:
    """Everything one trainee's attendance rate is counted from (§21): the class's offline
    sessions, his makeups, and his credited online hours (valid time only, §20(3)), which
    count up to the class's planned online hours."""

    class_ref: str
    trainee_ref: str
    class_hours: int  # the class's total
    sessions: tuple[AttendedSession, ...] = ()
    makeups: tuple[TraineeMakeup, ...] = ()
    final_assessment_on: dt.date | None = None  # None: not yet registered
    online_credited_hours: int = 0
    online_planned_hours: int = 0


@with_config(_STRICT)
@dataclass(frozen=True)
class Satisfaction:
    institution: str
    result: SatisfactionResult


@with_config(_STRICT)
@dataclass(frozen=True)
class CertificateCounts:
    """Certificates issued in a scope (an institution, a county or the city) so far this year."""

    scope: Scope
    scope_ref: str
    special_ability: int
    training_pass: int
    total: int


@with_config(_STRICT)
@dataclass(frozen=True)
class TrainingCentre:
    """What an enterprise training centre (企业培训中心) has for one occupation (§20(1)): its
    active teachers of the occupation holding a qualification certificate, its sites, and its
    workstations for the occupation."""

    institution: str
    occupation: str
    certified_teachers: int
    sites: int
    workstations: int


@with_config(_STRICT)
@dataclass(frozen=True)
class Claim:
    """The dates of a subsidy claim's steps, checked against §21's working-day limits."""

    class_ref: str
    as_of: dt.date  # overdue is judged on this day for steps not yet done
    submitted_on: dt.date
    industry_reviewed_on: dt.date | None = None
    notice_from: dt.date | None = None
    notice_until: dt.date | None = None  # inclusive
    hr_received_on: dt.date | None = None
    hr_done_on: dt.date | None = None
    finance_received_on: dt.date | None = None
    finance_done_on: dt.date | None = None


# 已发放 / 已绑定培训班 / 已取证待兑付 / 已兑付 / 已作废
VoucherState = Literal["issued", "bound", "certified", "redeemed", "void"]


@with_config(_STRICT)
@dataclass(frozen=True)
class VoucherUse:
    """An electronic training voucher (电子职业培训券) as a claim line presents it (§20(5)):
    the voucher bound to the class for the trainee's roster line, or else the one he holds.
    People are named by their roster label (name and masked ID number), never the number."""

    class_ref: str  # the class claimed for
    trainee_ref: str  # the roster line claimed
    number: str  # the voucher's number, masked
    holder_ref: str  # whose voucher it is (real name): the trainee's own when equal
    status: VoucherState
    expires_on: dt.date  # inclusive
    started_on: dt.date  # the claimed class's first day: the voucher is used from it
    bound_class_ref: str | None = None  # the class it is bound to; None: not bound
    # Void because its class's claim did not come within ``vouchers.claim_working_days`` of
    # the certificate (the nightly sweep): the day it went void; None otherwise.
    lapsed_on: dt.date | None = None
