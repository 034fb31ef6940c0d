"""The supervision cross-checks (SPEC §7, issue 15): each reads rows of a whole city-year
(``crosscheck_rows``) and returns findings — the kind, the clause, the subjects, the rows and
values compared, a score from the policy's weights. Each check is one pass over its rows
(grouped or sorted), never a look-up per record. Pure Python.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from .crosscheck_rows import (
    AbsenceRow,
    AccountRow,
    CertificateRow,
    ClassAttendance,
    ClassEvidence,
    ClassRef,
    EnrolmentRow,
    Found,
    IdFormRow,
    InspectionRow,
    IssuedRow,
    OnlineClaimRow,
    PhoneRow,
    SessionRow,
    SiteBooking,
    StillRow,
    TeacherBooking,
    VoucherLineRow,
    evidence,
)
from .evidence_rules import recognised_hours
from .params import PolicyAt

R = TypeVar("R")
K = TypeVar("K")


@dataclass(frozen=True)
class Check:
    kind: str
    clause: str
    title: str  # Chinese
    title_en: str
    action: str  # what the reviewer can do, Chinese


CHECKS: dict[str, Check] = {
    c.kind: c
    for c in (
        Check(
            "person_overlap",
            "§20(3)",
            "同一人员同时参加培训期重叠的补贴培训班",
            "One person on overlapping subsidised classes",
            "核实该人员实际参加的培训班；另一班的补贴不予核拨，已拨付的予以追缴",
        ),
        Check(
            "sign_in_above_present",
            "§21",
            "实地检查时签到人数多于在位人数",
            "Sign-in above those present at an inspection",
            "逐人核实多出的签到（代签）；培训人数按在位人数计",
        ),
        Check(
            "session_not_recognised",
            "§19",
            "培训课次录像不符合要求、不予认可",
            "A session not recognised for its recording",
            "该课次学时不计入到课率；已申领补贴的，核查申领学员的到课率",
        ),
        Check(
            "shared_phone",
            "§三(三)",
            "同一手机号码对应多名参训人员",
            "One mobile number behind several trainees",
            "电话回访核实本人参训情况，排查虚假培训",
        ),
        Check(
            "certificate_before_end",
            "§21",
            "培训结束前即已发证",
            "Certificates issued before the class ended",
            "核查评价机构考核、发证记录（附件2 结业考核须在培训结束后进行）",
        ),
        Check(
            "teacher_double_booked",
            "§20(1)",
            "同一教师同期在两个培训班任教",
            "One teacher booked by two classes at the same time",
            "核实教师实际任教情况，排查借用教师资格证",
        ),
        Check(
            "certificates_without_session",
            "§19",
            "有取证但无任何认可的培训课次",
            "Certificates but no recognised session",
            "核查培训是否真实开展；未经认可培训的证书不予补贴",
        ),
        Check(
            "shared_bank_account",
            "§三(三)",
            "同一银行帐号对应多个申请人",
            "One bank account behind several applicants",
            "核实帐号户主与申请人的关系，排查代领、冒领补贴",
        ),
        Check(
            "several_id_forms",
            "§20(3)",
            "同一人员以不同形式的身份证号码重复登记",
            "One person registered under several forms of his ID number",
            "合并为一条实名记录，核查是否以另一记录重复参训、重复享受补贴",
        ),
        Check(
            "identical_absences",
            "§21",
            "同班多名学员缺勤记录完全相同",
            "Several trainees of a class with the same absences",
            "调取这些课次的录像和签到表，核实是否整批代签或虚报学员",
        ),
        Check(
            "all_present",
            "§21",
            "全班每次课全员签到，全勤概率过低",
            "A whole class present at every session, beyond likelihood",
            "抽查课次录像与签到表逐人比对，核实签到真实性",
        ),
        Check(
            "voided_online_claimed",
            "§20(3)",
            "补贴申领计入了审计认定无效的线上学时",
            "A claim counted online time the audit voided",
            "按审计认定的线上课时重新测算到课率；不达标的不予补贴，已拨付的予以追缴",
        ),
        Check(
            "voucher_not_redeemed",
            "§20(5)",
            "已拨付补贴的学员持有绑定本班的培训券但未兑付",
            "A paid line whose trainee's voucher bound to the class was not redeemed",
            "核实该学员的培训券去向（以证换券），排查同一培训重复补贴",
        ),
        Check(
            "same_photo",
            "§三(三)",
            "同一张照片用于多个课次或培训班",
            "One photo shown for several sessions or classes",
            "调取原始照片和录像比对，核实培训是否真实开展；虚假培训的补贴予以追缴",
        ),
        Check(
            "evaluator_out_of_scope",
            "§20(4)",
            "评价机构超出备案范围评价发证",
            "An evaluator certifying outside its filed scope",
            "核查评价机构备案范围与考评记录；超范围评价的按技能人才评价违纪违规处理工作指引处理",
        ),
        Check(
            "evaluator_over_capacity",
            "§20(4)",
            "评价机构单日评价人数超过其能力",
            "An evaluator certifying more people in a day than its capacity",
            "核查当日考评安排、考评员和考场记录，排查虚假评价",
        ),
        Check(
            "workstations_overbooked",
            "§20(1)",
            "同一场地同期培训人数超过其工位容量",
            "A site's workstations booked beyond capacity by concurrent classes",
            "实地核查场地工位与同期各班实际在训人数，排查虚报场地或挂名学员",
        ),
    )
}


def _digest(values: Iterable[object]) -> str:
    """A short stable name for a list too long for a finding's key."""
    return hashlib.sha256("-".join(map(str, values)).encode()).hexdigest()[:12]


def _weight(at: PolicyAt, kind: str) -> Decimal:
    return Decimal(str(at["supervision.weights"][kind]))


def _found(
    at: PolicyAt,
    kind: str,
    *,
    ids: Iterable[object],
    summary: str,
    subjects: list[dict[str, Any]],
    ev: dict[str, Any],
    units: int | Decimal,
    anchor: ClassRef | None,
    classes: Iterable[int] = (),
    institution_id: int | None = -1,
    county_id: int | None = None,
) -> Found:
    check = CHECKS[kind]
    return Found(
        kind=kind,
        clause=check.clause,
        key=f"{kind}:" + "-".join(str(i) for i in ids),
        summary=summary,
        subjects=tuple(subjects),
        evidence=ev,
        score=_weight(at, kind) * Decimal(units),
        county_id=anchor.county_id if anchor else county_id,
        institution_id=(anchor.institution_id if anchor else None)
        if institution_id == -1
        else institution_id,
        classes=tuple(sorted(set(classes))),
    )


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


def shared_bank_account(rows: Iterable[AccountRow], at: PolicyAt) -> list[Found]:
    """§三(三): one bank account (its blind index) behind ``supervision.shared_bank_account_min_
    applicants`` or more applicants — people claiming for themselves or institutions applying
    for classes (an institution's many classes are one applicant). The finding is the county's
    of most of the rows, the institution's only when every row names the same one."""
    need: int = at["supervision.shared_bank_account_min_applicants"]
    by_account: dict[str, dict[str, list[AccountRow]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        if r.account_index:
            by_account[r.account_index][r.applicant].append(r)
    out = []
    for index, applicants in by_account.items():
        if len(applicants) < need:
            continue
        firsts = [rs[0] for _, rs in sorted(applicants.items())]
        every = [r for _, rs in sorted(applicants.items()) for r in rs]
        counties = Counter(r.county_id for r in every)
        institutions = {r.institution_id for r in every}
        masked = firsts[0].account_masked
        subjects: list[dict[str, Any]] = []
        for r in firsts:
            kind, pk = r.applicant.split(":")
            subjects.append({"kind": kind, "id": int(pk), "label": r.applicant_label})
        out.append(
            _found(
                at,
                "shared_bank_account",
                ids=(index[:16],),
                summary=f"银行帐号 {masked} 对应 {len(applicants)} 个申请人",
                subjects=subjects
                + [c.subject() for c in {r.cls.id: r.cls for r in every if r.cls}.values()],
                ev=evidence(
                    ["申请人", "申请方式", "银行帐号（脱敏）", "培训班"],
                    [
                        [
                            r.applicant_label,
                            r.source,
                            r.account_masked,
                            r.cls.label if r.cls else "—",
                        ]
                        for r in every
                    ],
                    f"同一银行帐号 {len(applicants)} 个申请人 ≥ {need} 个（按帐号索引比对，未解密）",
                ),
                units=len(applicants),
                anchor=None,
                classes=[r.cls.id for r in every if r.cls is not None],
                county_id=counties.most_common(1)[0][0],
                institution_id=next(iter(institutions)) if len(institutions) == 1 else None,
            )
        )
    return out


def id_form_key(masked: str, born: dt.date) -> str | None:
    """What the 15- and 18-digit forms of one ID number share, read from the masked form and
    the birth date: the region (the first six), the birth date and the three-digit sequence
    (the 18-digit form's last four are the sequence and the check character, the 15-digit
    form's the birth day's last digit and the sequence). Either case of the check character
    X gives one key. None for a form of another length."""
    if len(masked) == 18:
        seq = masked[14:17]
    elif len(masked) == 15 and masked[11] == str(born.day % 10):
        seq = masked[12:15]
    else:
        return None
    region = masked[:6]
    if not (region.isdigit() and seq.isdigit()):
        return None
    return f"{region}{born:%Y%m%d}{seq}"


def several_id_forms(rows: Iterable[IdFormRow], at: PolicyAt) -> list[Found]:
    """§20(3) (one subsidy per person, the real name behind it): two or more person records
    whose ID numbers are one number in different forms (15 and 18 digits, x and X) — at least
    one of them on a class of the year. Compared on the masked form and the birth date: no
    number is decrypted."""
    groups: dict[str, dict[int, IdFormRow]] = defaultdict(dict)
    for r in rows:
        key = id_form_key(r.id_masked, r.birth_date)
        if key:
            groups[key].setdefault(r.person_id, r)
    out = []
    for people in groups.values():
        if len(people) < 2:
            continue
        rs = sorted(people.values(), key=lambda r: r.person_id)
        classes = [c for r in rs for c in r.classes]
        if not classes:
            continue
        anchor = classes[0]
        forms = sorted({f"{len(r.id_masked)} 位" for r in rs})
        out.append(
            _found(
                at,
                "several_id_forms",
                ids=[r.person_id for r in rs],
                summary=f"{rs[0].person} 等 {len(rs)} 条人员记录为同一身份证号码的不同写法",
                subjects=[{"kind": "person", "id": r.person_id, "label": r.person} for r in rs]
                + [c.subject() for c in classes],
                ev=evidence(
                    ["人员", "身份证号码（脱敏）", "位数", "出生日期", "本年度培训班"],
                    [
                        [
                            r.person,
                            r.id_masked,
                            len(r.id_masked),
                            r.birth_date,
                            "、".join(c.label for c in r.classes) or "—",
                        ]
                        for r in rs
                    ],
                    f"行政区划、出生日期、顺序码相同（{'、'.join(forms)}；或校验码 X 大小写不同），"
                    "按脱敏号码与出生日期比对，未解密",
                ),
                units=len(rs) - 1,
                anchor=anchor,
                classes=[c.id for c in classes],
                county_id=rs[0].county_id,
            )
        )
    return out


def identical_absences(rows: Iterable[AbsenceRow], at: PolicyAt) -> list[Found]:
    """§21: ``supervision.identical_absence_min_people`` or more trainees of one class who
    missed exactly the same sessions, at least ``identical_absence_min_sessions`` of them —
    signed in and out as a block."""
    people: int = at["supervision.identical_absence_min_people"]
    sessions: int = at["supervision.identical_absence_min_sessions"]
    groups: dict[tuple[int, tuple[int, ...]], list[AbsenceRow]] = defaultdict(list)
    for r in rows:
        if len(r.missed) >= sessions:
            groups[(r.cls.id, tuple(s for s, _ in r.missed))].append(r)
    out = []
    for (class_id, missed), rs in sorted(groups.items()):
        if len(rs) < people:
            continue
        c, days = rs[0].cls, "、".join(d.isoformat() for _, d in rs[0].missed)
        out.append(
            _found(
                at,
                "identical_absences",
                ids=(class_id, _digest(missed)),
                summary=f"{c.label} {len(rs)} 名学员缺勤记录完全相同（{len(missed)} 次：{days}）",
                subjects=[c.subject(), c.institution_subject()]
                + [{"kind": "person", "id": r.person_id, "label": r.person} for r in rs],
                ev=evidence(
                    ["学员", "缺勤课次"],
                    [[r.person, days] for r in rs],
                    f"{len(rs)} 人 ≥ {people} 人缺勤同样的 {len(missed)} 次课（≥ {sessions} 次）",
                ),
                units=len(rs),
                anchor=c,
                classes=(class_id,),
            )
        )
    return out


def all_present(rows: Iterable[ClassAttendance], at: PolicyAt) -> list[Found]:
    """§21: every trainee signed in at every recorded session, over so many attendances that,
    at the expected absence rate, a record this perfect is less likely than
    ``supervision.all_present_max_likelihood``."""
    rate: Decimal = at["supervision.expected_absence_rate"]
    bound: Decimal = at["supervision.all_present_max_likelihood"]
    out = []
    for r in rows:
        if r.signed <= 0 or r.absent > 0:
            continue
        likelihood = (1 - rate) ** r.signed
        if likelihood >= bound:
            continue
        c = r.cls
        out.append(
            _found(
                at,
                "all_present",
                ids=(c.id,),
                summary=f"{c.label} {r.trainees} 名学员 {r.sessions} 次课全部签到（{r.signed} 人次）",
                subjects=[c.subject(), c.institution_subject()],
                ev=evidence(
                    ["培训班", "学员", "课次", "签到人次", "缺勤人次", "全勤概率"],
                    [[c.label, r.trainees, r.sessions, r.signed, 0, f"{likelihood:.2E}"]],
                    f"按缺勤率 {rate:%} 估计，{r.signed} 人次全部签到的概率 {likelihood:.2E} "
                    f"< {bound}",
                ),
                units=max(1, r.signed // 10),
                anchor=c,
                classes=(c.id,),
            )
        )
    return out


def voided_online_claimed(rows: Iterable[OnlineClaimRow], at: PolicyAt) -> list[Found]:
    """§20(3): a payable claim line that counted more online class hours than the latest
    audit of the trainee's online time credits (time voided for fast-forwarding, several
    windows, no face check …), by ``supervision.voided_online_min_class_hours`` or more. A
    claim calculated before attendance was counted is taken to have counted the hours the
    class plans online."""
    need: int = at["supervision.voided_online_min_class_hours"]
    out = []
    for r in rows:
        if r.void_seconds <= 0:
            continue
        counted = r.planned_hours if r.counted_hours is None else r.counted_hours
        over = counted - min(r.credited_hours, r.planned_hours)
        if over < need:
            continue
        c = r.cls
        out.append(
            _found(
                at,
                "voided_online_claimed",
                ids=(r.line_id,),
                summary=f"{r.person} 在 {c.label} 的补贴计入线上 {counted} 课时，审计认定 "
                f"{r.credited_hours} 课时",
                subjects=[
                    {"kind": "person", "id": r.person_id, "label": r.person},
                    {"kind": "claim", "id": r.claim_id, "label": f"补贴申领 {r.claim_id}"},
                    c.subject(),
                    c.institution_subject(),
                ],
                ev=evidence(
                    [
                        "学员",
                        "申领状态",
                        "补贴金额",
                        "计划线上课时",
                        "申领计入线上课时",
                        "审计认定线上课时",
                        "无效时长（秒）",
                        "审计时间",
                    ],
                    [
                        [
                            r.person,
                            r.claim_status,
                            str(r.amount),
                            r.planned_hours,
                            counted
                            if r.counted_hours is not None
                            else f"{counted}（未记录，按计划）",
                            r.credited_hours,
                            str(r.void_seconds),
                            r.audited_on or "—",
                        ]
                    ],
                    f"申领计入 {counted} 课时 − 审计认定 {r.credited_hours} 课时 = {over} 课时 "
                    f"≥ {need} 课时（无效学时不计，视同培训无效）",
                ),
                units=over,
                anchor=c,
                classes=(c.id,),
            )
        )
    return out


def voucher_not_redeemed(rows: Iterable[VoucherLineRow], at: PolicyAt) -> list[Found]:
    """§20(5) (以证换券): a paid line of an institution's claim whose trainee holds a voucher
    bound to the class that the payment did not redeem — the line does not name it, or it is
    not redeemed. One finding per class, with each such line."""
    by_class: dict[int, list[VoucherLineRow]] = defaultdict(list)
    for r in rows:
        if r.voucher_status != "redeemed" or r.line_voucher_id != r.voucher_id:
            by_class[r.cls.id].append(r)
    out = []
    for class_id, rs in sorted(by_class.items()):
        c = rs[0].cls
        out.append(
            _found(
                at,
                "voucher_not_redeemed",
                ids=(class_id,),
                summary=f"{c.label} {len(rs)} 名已拨付补贴的学员，其绑定本班的培训券未兑付",
                subjects=[c.subject(), c.institution_subject()]
                + [{"kind": "person", "id": r.person_id, "label": r.person} for r in rs]
                + [{"kind": "voucher", "id": r.voucher_id, "label": r.voucher_number} for r in rs],
                ev=evidence(
                    [
                        "学员",
                        "补贴申领",
                        "补贴金额",
                        "拨付时间",
                        "培训券",
                        "券状态",
                        "补贴明细所列券",
                    ],
                    [
                        [
                            r.person,
                            r.claim_id,
                            str(r.amount),
                            r.paid_on or "—",
                            r.voucher_number,
                            r.voucher_status_label,
                            "是" if r.line_voucher_id == r.voucher_id else "否",
                        ]
                        for r in rs
                    ],
                    "补贴已拨付，绑定本班的培训券未兑付（以证换券：拨付时应兑付该券）",
                ),
                units=len(rs),
                anchor=c,
                classes=(class_id,),
            )
        )
    return out


def evaluator_out_of_scope(rows: Iterable[IssuedRow], at: PolicyAt) -> list[Found]:
    """§20(4): certificates a filed evaluation institution issued for an occupation it has
    not filed, or a level of it not filed — compared with its scope as filed now. One finding
    per evaluator, occupation and level."""
    groups: dict[tuple[int, str, int | None], list[IssuedRow]] = defaultdict(list)
    for r in rows:
        outside = r.filed_levels is None or (
            r.skill_level is not None and r.skill_level not in r.filed_levels
        )
        if outside:
            groups[(r.evaluator_id, r.occupation_code, r.skill_level)].append(r)
    out = []
    for (evaluator_id, code, level), rs in sorted(groups.items(), key=lambda g: str(g[0])):
        e = rs[0]
        filed = (
            "未备案该职业（工种）"
            if e.filed_levels is None
            else "备案等级：" + "、".join(f"{x}级" for x in e.filed_levels)
        )
        classes = {r.cls.id: r.cls for r in rs if r.cls is not None}
        shown = f"{level}级" if level else "—"
        out.append(
            _found(
                at,
                "evaluator_out_of_scope",
                ids=(evaluator_id, code, level or 0),
                summary=f"{e.evaluator} 为职业 {code} {shown} 发证 {len(rs)} 张，超出备案范围（{filed}）",
                subjects=[{"kind": "institution", "id": evaluator_id, "label": e.evaluator}]
                + [c.subject() for c in classes.values()],
                ev=evidence(
                    [
                        "证书编号",
                        "持证人",
                        "职业（工种）",
                        "等级",
                        "发证日期",
                        "备案范围",
                        "培训班",
                    ],
                    [
                        [
                            r.number,
                            r.person,
                            r.occupation_code,
                            r.skill_level or "—",
                            r.issued_on,
                            filed,
                            r.cls.label if r.cls else "—",
                        ]
                        for r in sorted(rs, key=lambda r: (r.issued_on, r.id))
                    ],
                    f"职业 {code} {shown} 不在该机构的备案评价范围内（{filed}）",
                ),
                units=len(rs),
                anchor=None,  # the evaluator's county supervises it (§20(4))
                classes=list(classes),
                county_id=e.county_id,
                institution_id=evaluator_id,
            )
        )
    return out


def evaluator_over_capacity(rows: Iterable[IssuedRow], at: PolicyAt) -> list[Found]:
    """§20(4): more people certified by one evaluation institution on one day than the
    policy's daily capacity. One finding per evaluator and day."""
    capacity: int = at["supervision.evaluator_daily_capacity"]
    days: dict[tuple[int, dt.date], dict[str, IssuedRow]] = defaultdict(dict)
    for r in rows:
        days[(r.evaluator_id, r.issued_on)].setdefault(r.person, r)
    out = []
    for (evaluator_id, day), people in sorted(days.items()):
        if len(people) <= capacity:
            continue
        rs = list(people.values())
        e = rs[0]
        by_class = Counter(r.cls.id for r in rs if r.cls is not None)
        classes = {r.cls.id: r.cls for r in rs if r.cls is not None}
        out.append(
            _found(
                at,
                "evaluator_over_capacity",
                ids=(evaluator_id, day.isoformat()),
                summary=f"{e.evaluator} {day} 一天评价发证 {len(rs)} 人，超过 {capacity} 人",
                subjects=[{"kind": "institution", "id": evaluator_id, "label": e.evaluator}]
                + [c.subject() for c in classes.values()],
                ev=evidence(
                    ["培训班", "发证人数"],
                    [[classes[c].label, n] for c, n in by_class.most_common()]
                    + [["（非本年度培训班）", len(rs) - sum(by_class.values())]],
                    f"{day} 发证 {len(rs)} 人 > 日评价能力 {capacity} 人",
                ),
                units=len(rs) - capacity,
                anchor=None,  # the evaluator's county supervises it (§20(4))
                classes=list(classes),
                county_id=e.county_id,
                institution_id=evaluator_id,
            )
        )
    return out


def workstations_overbooked(rows: Iterable[SiteBooking], at: PolicyAt) -> list[Found]:
    """§20(1) (工位与培训学员比 1:20): the trainees of the classes of one occupation that
    book one site at the same time above its workstations for the occupation × the ratio —
    a class alone, or several together. One finding per site and occupation, naming every
    class on a day above capacity and the peak."""
    ratio: int = at["class.max_trainees_per_workstation"]
    groups: dict[tuple[int, str], list[SiteBooking]] = defaultdict(list)
    for r in rows:
        groups[(r.site_id, r.occupation_code)].append(r)
    out = []
    for (site_id, code), bookings in sorted(groups.items()):
        capacity = bookings[0].workstations * ratio
        over: dict[int, SiteBooking] = {}
        peak: tuple[int, dt.date, list[SiteBooking]] = (0, dt.date.min, [])
        for day in sorted({b.cls.start for b in bookings}):
            active = [b for b in bookings if b.cls.start <= day <= b.cls.end]
            total = sum(b.trainees for b in active)
            if total > capacity:
                over.update({b.cls.id: b for b in active})
                if total > peak[0]:
                    peak = (total, day, active)
        if not over:
            continue
        first = bookings[0]
        total, day, active = peak
        rs = sorted(over.values(), key=lambda b: (b.cls.start, b.cls.id))
        institutions = {b.cls.institution_id for b in rs}
        out.append(
            _found(
                at,
                "workstations_overbooked",
                ids=(site_id, code),
                summary=f"{first.site}（{code}）{day} 同期 {len(active)} 个班 {total} 人，"
                f"工位 {first.workstations} 个可容 {capacity} 人",
                subjects=[{"kind": "site", "id": site_id, "label": first.site}]
                + [b.cls.subject() for b in rs]
                + [
                    c.institution_subject()
                    for c in {b.cls.institution_id: b.cls for b in rs}.values()
                ],
                ev=evidence(
                    ["培训班", "开班时间", "结束时间", "学员人数", "高峰日在训"],
                    [
                        [
                            b.cls.label,
                            b.cls.start,
                            b.cls.end,
                            b.trainees,
                            "是" if b in active else "",
                        ]
                        for b in rs
                    ],
                    f"{day} 在训 {total} 人 > 工位 {first.workstations} 个 × {ratio} 人 = {capacity} 人",
                ),
                units=total - capacity,
                anchor=rs[-1].cls,
                classes=[b.cls.id for b in rs],
                institution_id=rs[-1].cls.institution_id if len(institutions) == 1 else None,
            )
        )
    return out


HASH_BITS = 64


def hamming(a: str, b: str) -> int:
    """Bits in which two perceptual hashes (hex) differ."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def _bands(phash: str, n: int) -> list[tuple[int, int]]:
    """The hash cut into ``n`` bands of bits: two hashes within ``n - 1`` bits of each other
    agree on at least one band whole (the pigeonhole), so only photos sharing a band are
    compared — never every pair."""
    value, width = int(phash, 16), HASH_BITS // n
    out = []
    for i in range(n):
        bits = width if i < n - 1 else HASH_BITS - width * (n - 1)
        out.append((i, (value >> (width * i)) & ((1 << bits) - 1)))
    return out


def same_photo(rows: Iterable[StillRow], at: PolicyAt) -> list[Found]:
    """§三(三): one photo (perceptual hashes within ``supervision.same_photo_max_distance``
    bits) kept for two or more sessions or inspections — of one class or of several. Photos
    are compared only with those sharing a band of their hash; the photos linked pairwise
    make one finding."""
    limit: int = at["supervision.same_photo_max_distance"]
    stills = [r for r in rows if len(r.phash) == HASH_BITS // 4]
    buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, r in enumerate(stills):
        for band in _bands(r.phash, min(limit + 1, HASH_BITS)):
            buckets[band].append(i)
    parent = list(range(len(stills)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    distance: dict[tuple[int, int], int] = {}
    for members in buckets.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                a, b = stills[i], stills[j]
                if a.owner == b.owner or (i, j) in distance:
                    continue
                d = hamming(a.phash, b.phash)
                if d <= limit:
                    distance[(i, j)] = d
                    parent[root(i)] = root(j)
    groups: dict[int, set[int]] = defaultdict(set)
    for i, j in distance:
        groups[root(i)].update((i, j))
    out = []
    for members in groups.values():
        rs = sorted((stills[k] for k in members), key=lambda r: (r.taken_on, r.id))
        owners = {r.owner for r in rs}
        classes = {r.cls.id: r.cls for r in rs}
        institutions = {c.institution_id for c in classes.values()}
        last = rs[-1].cls  # the latest showing: the reuse
        first = rs[0].phash
        out.append(
            _found(
                at,
                "same_photo",
                ids=(min(r.id for r in rs),),
                summary=f"同一张照片用于 {len(owners)} 个课次或检查（{len(classes)} 个培训班）",
                subjects=[c.subject() for c in classes.values()]
                + [
                    c.institution_subject()
                    for c in {c.institution_id: c for c in classes.values()}.values()
                ]
                + [{"kind": "still", "id": r.id, "label": f"{r.kind} {r.where}"} for r in rs],
                ev=evidence(
                    [
                        "照片",
                        "类型",
                        "培训班",
                        "课次或检查",
                        "拍摄日期",
                        "感知哈希",
                        "与首张相差（位）",
                    ],
                    [
                        [
                            r.id,
                            r.kind,
                            r.cls.label,
                            r.where,
                            r.taken_on,
                            r.phash,
                            hamming(first, r.phash),
                        ]
                        for r in rs
                    ],
                    f"感知哈希相差 ≤ {limit} 位（共 {HASH_BITS} 位）即为同一照片",
                ),
                units=len(owners),
                anchor=last,
                classes=list(classes),
                institution_id=last.institution_id if len(institutions) == 1 else None,
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
