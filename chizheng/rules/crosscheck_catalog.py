"""The catalogue of the supervision cross-checks (``crosschecks``): each kind's clause, its
title and what the reviewer can do, and the one way a check builds its finding (``_found``:
the score is the policy's weight of the kind times the units counted). Pure Python.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .crosscheck_rows import ClassRef, Found
from .params import PolicyAt


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
