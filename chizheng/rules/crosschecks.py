"""The supervision cross-checks (SPEC §7, issue 15): each reads rows of a whole city-year
(``crosscheck_rows``) and returns findings — the kind, the clause, the subjects, the rows and
values compared, a score from the policy's weights. Each check is one pass over its rows
(grouped or sorted), never a look-up per record. Pure Python.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import TypeVar

from .crosscheck_catalog import CHECKS, Check, _found
from .crosscheck_rows import (
    CertificateRow,
    ClassEvidence,
    ClassRef,
    EnrolmentRow,
    Found,
    InspectionRow,
    PhoneRow,
    SessionRow,
    TeacherBooking,
    evidence,
)
from .crosschecks_attendance import all_present, hamming, identical_absences, same_photo
from .crosschecks_capacity import (
    evaluator_out_of_scope,
    evaluator_over_capacity,
    workstations_overbooked,
)
from .crosschecks_identity import id_form_key, several_id_forms, shared_bank_account
from .crosschecks_payments import voided_online_claimed, voucher_not_redeemed
from .evidence_rules import recognised_hours
from .params import PolicyAt

R = TypeVar("R")
K = TypeVar("K")


def _overlap(a: ClassRef, b: ClassRef) -> tuple[dt.date, dt.date] | None:
    lo, hi = max(a.start, b.start), min(a.end, b.end)
    return (lo, hi) if lo <= hi else None


def _pairs(
    refs: list[ClassRef], same: Callable[[ClassRef, ClassRef], bool]
) -> list[tuple[ClassRef, ClassRef]]:
    """Every pair of distinct classes whose periods overlap (sweep over the starts)."""
    out: list[tuple[ClassRef, ClassRef]] = []
    ordered = sorted({r.id: r for r in refs}.values(), key=lambda r: (r.start, r.id))
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.start > a.end:
                break
            if not same(a, b):
                out.append((a, b))
    return out


def _shared(rows: Iterable[R], key: Callable[[R], K]) -> list[tuple[K, list[R]]]:
    """The rows grouped by ``key``, only the groups of two or more (one person, one teacher…)."""
    groups: dict[K, list[R]] = defaultdict(list)
    for r in rows:
        groups[key(r)].append(r)
    return [(k, g) for k, g in groups.items() if len(g) >= 2]


def person_overlap(rows: Iterable[EnrolmentRow], at: PolicyAt) -> list[Found]:
    """§20(3): one person on two subsidised classes whose periods overlap — also across
    institutions and counties. The finding belongs to the later class's county (the class
    whose submission should have been refused)."""
    out = []
    for person_id, mine in _shared(rows, lambda r: r.person_id):
        label = mine[0].person
        for a, b in _pairs([r.cls for r in mine], lambda x, y: False):
            lo, hi = _overlap(a, b) or (a.start, a.start)
            out.append(
                _found(
                    at,
                    "person_overlap",
                    ids=(person_id, a.id, b.id),
                    summary=f"{label} 同时在 {a.label}、{b.label} 两个班（重叠 {lo} 至 {hi}）",
                    subjects=[
                        {"kind": "person", "id": person_id, "label": label},
                        a.subject(),
                        b.subject(),
                        a.institution_subject(),
                        b.institution_subject(),
                    ],
                    ev=evidence(
                        ["培训班", "培训机构", "县（市、区）", "开班时间", "结束时间"],
                        [[c.label, c.institution, c.county, c.start, c.end] for c in (a, b)],
                        f"培训期重叠 {lo} 至 {hi}（{(hi - lo).days + 1} 天）",
                    ),
                    units=1,
                    anchor=b,
                    classes=(a.id, b.id),
                )
            )
    return out


def sign_in_above_present(rows: Iterable[InspectionRow], at: PolicyAt) -> list[Found]:
    """§21: more signatures than people in the room at an inspection."""
    need: int = at["supervision.sign_in_excess_min"]
    out = []
    for r in rows:
        over = r.signed_in - r.present
        if over < need:
            continue
        out.append(
            _found(
                at,
                "sign_in_above_present",
                ids=(r.id,),
                summary=f"{r.cls.label} {r.held_on} {r.kind}：签到 {r.signed_in} 人，在位 {r.present} 人",
                subjects=[
                    {"kind": "inspection", "id": r.id, "label": f"{r.held_on} {r.kind}"},
                    r.cls.subject(),
                    r.cls.institution_subject(),
                ],
                ev=evidence(
                    ["检查", "日期", "签到人数", "在位人数", "多出"],
                    [[r.kind, r.held_on, r.signed_in, r.present, over]],
                    f"签到 {r.signed_in} 人 > 在位 {r.present} 人（多 {over} 人，阈值 {need} 人）",
                ),
                units=over,
                anchor=r.cls,
                classes=(r.cls.id,),
            )
        )
    return out


def session_not_recognised(rows: Iterable[SessionRow], at: PolicyAt) -> list[Found]:
    """§19: an offline session whose recording leaves some of its class hours unrecognised;
    weighs double when the class has a subsidy claim (the hours may have been paid for)."""
    need = at["evidence.min_practical_continuous_recording_minutes"]
    out = []
    for r in rows:
        s = r.facts
        got = recognised_hours(s, at)
        if got >= s.class_hours:
            continue
        missing = s.class_hours - got
        kind = {"theory": "理论", "practical": "实操"}.get(s.kind, s.kind)
        per_hour = "、".join(map(str, s.longest_recording_per_class_hour)) or "—"
        out.append(
            _found(
                at,
                "session_not_recognised",
                ids=(r.id,),
                summary=f"{r.cls.label} {s.held_on} {kind} {s.class_hours} 课时，认可 {got} 课时"
                + ("（已申领补贴）" if r.claimed else ""),
                subjects=[
                    {"kind": "session", "id": r.id, "label": f"{s.held_on} {kind}"},
                    r.cls.subject(),
                    r.cls.institution_subject(),
                ],
                ev=evidence(
                    [
                        "日期",
                        "类型",
                        "课时",
                        "授课分钟",
                        "录像分钟",
                        "每课时最长连续录像（分钟）",
                        "显示全体学员",
                        "认可课时",
                        "签到人数",
                        "已申领补贴",
                    ],
                    [
                        [
                            s.held_on,
                            kind,
                            s.class_hours,
                            s.minutes,
                            s.recorded_minutes,
                            per_hour,
                            "是" if s.shows_all_trainees else "否",
                            got,
                            r.present,
                            "是" if r.claimed else "否",
                        ]
                    ],
                    f"认可 {got}/{s.class_hours} 课时（实操每课时连续录像须 ≥ {need} 分钟，"
                    "理论须全程录像，录像须显示全体学员）",
                ),
                units=missing * (2 if r.claimed else 1),
                anchor=r.cls,
                classes=(r.cls.id,),
            )
        )
    return out


def shared_phone(rows: Iterable[PhoneRow], at: PolicyAt) -> list[Found]:
    """§三(三): one mobile number (its blind index) behind ``supervision.shared_phone_min_people``
    or more trainees of the year. The finding is the county's and the institution's whose
    classes most of them are on (none when they spread over several institutions)."""
    need: int = at["supervision.shared_phone_min_people"]
    by_phone: dict[str, dict[int, PhoneRow]] = defaultdict(dict)
    for r in rows:
        if r.phone_index:
            by_phone[r.phone_index].setdefault(r.person_id, r)
    out = []
    for index, people in by_phone.items():
        if len(people) < need:
            continue
        rs = sorted(people.values(), key=lambda r: r.person_id)
        institutions = Counter(r.cls.institution_id for r in rs)
        anchor = next(
            r.cls for r in rs if r.cls.institution_id == institutions.most_common(1)[0][0]
        )
        masked = rs[0].phone_masked
        out.append(
            _found(
                at,
                "shared_phone",
                ids=(index[:16],),
                summary=f"手机号码 {masked} 对应 {len(rs)} 名参训人员",
                subjects=[{"kind": "person", "id": r.person_id, "label": r.person} for r in rs]
                + [anchor.institution_subject()],
                ev=evidence(
                    ["人员", "手机号码（脱敏）", "培训班", "培训机构"],
                    [[r.person, r.phone_masked, r.cls.label, r.cls.institution] for r in rs],
                    f"同一手机号码 {len(rs)} 人 ≥ {need} 人（按号码索引比对，未解密）",
                ),
                units=len(rs),
                anchor=anchor,
                classes=[r.cls.id for r in rs],
                institution_id=anchor.institution_id if len(institutions) == 1 else None,
            )
        )
    return out


def certificate_before_end(rows: Iterable[CertificateRow], at: PolicyAt) -> list[Found]:
    """§21 / 附件2: a certificate dated before its class ended (the final assessment follows
    the training). One finding per class, with each such certificate."""
    by_class: dict[int, list[CertificateRow]] = defaultdict(list)
    for r in rows:
        if r.issued_on < r.cls.end:
            by_class[r.cls.id].append(r)
    out = []
    for class_id, rs in by_class.items():
        c = rs[0].cls
        first = min(r.issued_on for r in rs)
        out.append(
            _found(
                at,
                "certificate_before_end",
                ids=(class_id,),
                summary=f"{c.label} 于 {c.end} 结束，{len(rs)} 张证书发证日期早于结束日期（最早 {first}）",
                subjects=[c.subject(), c.institution_subject()]
                + [
                    {"kind": "certificate", "id": r.id, "label": f"{r.number} {r.person}"}
                    for r in rs
                ],
                ev=evidence(
                    ["证书编号", "持证人", "发证日期", "培训结束", "结业考核"],
                    [[r.number, r.person, r.issued_on, c.end, r.assessment_on or "—"] for r in rs],
                    f"发证日期 {first} < 培训结束 {c.end}",
                ),
                units=len(rs),
                anchor=c,
                classes=(class_id,),
            )
        )
    return out


def teacher_double_booked(rows: Iterable[TeacherBooking], at: PolicyAt) -> list[Found]:
    """§20(1): one teacher (one ID number, whichever institutions registered him) booked by two
    classes whose periods overlap — by the policy's reading, only across institutions."""
    other_only: bool = at["supervision.teacher_other_institution_only"]
    out = []
    for identity, mine in _shared(rows, lambda r: r.identity):
        label = mine[0].teacher
        teacher_of = {r.cls.id: r.teacher_id for r in mine}

        def same(a: ClassRef, b: ClassRef) -> bool:
            return other_only and a.institution_id == b.institution_id

        for a, b in _pairs([r.cls for r in mine], same):
            lo, hi = _overlap(a, b) or (a.start, a.start)
            out.append(
                _found(
                    at,
                    "teacher_double_booked",
                    ids=(identity[:16], a.id, b.id),
                    summary=f"教师 {label} 同期在 {a.label}、{b.label} 任教（重叠 {lo} 至 {hi}）",
                    subjects=[
                        {"kind": "teacher", "id": teacher_of[a.id], "label": label},
                        a.subject(),
                        b.subject(),
                        a.institution_subject(),
                        b.institution_subject(),
                    ],
                    ev=evidence(
                        ["培训班", "培训机构", "县（市、区）", "开班时间", "结束时间"],
                        [[c.label, c.institution, c.county, c.start, c.end] for c in (a, b)],
                        f"同一身份证号码的教师，培训期重叠 {lo} 至 {hi}"
                        + ("（分属不同机构）" if a.institution_id != b.institution_id else ""),
                    ),
                    units=1,
                    anchor=b,
                    classes=(a.id, b.id),
                )
            )
    return out


def certificates_without_session(rows: Iterable[ClassEvidence], at: PolicyAt) -> list[Found]:
    """§19: a class with certificates none of whose offline sessions is recognised (or that
    has none): the training the certificates stand on is not shown."""
    out = []
    for r in rows:
        if r.certificates <= 0:
            continue
        recognised = sum(recognised_hours(s, at) for s in r.sessions)
        if recognised > 0:
            continue
        c = r.cls
        out.append(
            _found(
                at,
                "certificates_without_session",
                ids=(c.id,),
                summary=f"{c.label} 取证 {r.certificates} 人，认可的线下课次 0 次（共 {len(r.sessions)} 次）",
                subjects=[c.subject(), c.institution_subject()],
                ev=evidence(
                    ["培训班", "取证人数", "线下课次", "认可课时"],
                    [[c.label, r.certificates, len(r.sessions), recognised]],
                    f"取证 {r.certificates} 人，认可课时 0",
                ),
                units=r.certificates,
                anchor=c,
                classes=(c.id,),
            )
        )
    return out


__all__ = [
    "CHECKS",
    "Check",
    "all_present",
    "certificate_before_end",
    "certificates_without_session",
    "evaluator_out_of_scope",
    "evaluator_over_capacity",
    "hamming",
    "id_form_key",
    "identical_absences",
    "person_overlap",
    "same_photo",
    "session_not_recognised",
    "several_id_forms",
    "shared_bank_account",
    "shared_phone",
    "sign_in_above_present",
    "teacher_double_booked",
    "voided_online_claimed",
    "voucher_not_redeemed",
    "workstations_overbooked",
]
