"""Rules on the evidence of training: recordings of each session (§19) and the class hours
they leave recognised, who counts as trained (§21: counted = actual attendance at opening,
trained = average present at inspections), which makeups count (§21), and each trainee's
attendance rate (§21).

Pure Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from .decision import Decision, RuleSpec, percent, rule
from .facts import Attendance, Makeup, Session, TraineeAttendance
from .params import PolicyAt


def _subject(s: Session) -> str:
    return f"class {s.class_ref} session {s.ref}"


def _per_class_hour(s: Session) -> list[int]:
    # A class hour with no recording at all is missing from the list: count it as 0 minutes.
    return list(s.longest_recording_per_class_hour) + [0] * max(
        0, s.class_hours - len(s.longest_recording_per_class_hour)
    )


def recognised_hours(s: Session, at: PolicyAt) -> int:
    """The class hours of an offline session that count (§19), on the parameters of the
    three recording rules: none of a session whose recording does not show all trainees
    (当班培训不予认可) nor of a theory session not recorded in full; of a practical session,
    the class hours whose longest continuous recording reaches the minimum; otherwise all.
    Agrees with the rules: fewer than all hours exactly when one of them fails."""
    if at["evidence.recording_must_show_all_trainees"] and not s.shows_all_trainees:
        return 0
    if s.kind == "theory":
        in_full = s.recorded_minutes >= s.minutes or not at["evidence.theory_fully_recorded"]
        return s.class_hours if in_full else 0
    need: int = at["evidence.min_practical_continuous_recording_minutes"]
    return min(s.class_hours, sum(1 for m in _per_class_hour(s) if m >= need))


@rule(
    "evidence.theory_recorded",
    subject="session",
    clause="§19",
    title="理论教学全程录像",
    title_en="Theory recorded in full",
    parameters=("evidence.theory_fully_recorded",),
)
def theory_recorded(s: Session, at: PolicyAt, spec: RuleSpec) -> Decision | None:
    if s.kind != "theory" or not at["evidence.theory_fully_recorded"]:
        return None
    ok = s.recorded_minutes >= s.minutes
    op = "≥" if ok else "<"
    return spec.decide(
        at,
        ok=ok,
        subject=_subject(s),
        compared=f"录像 {s.recorded_minutes} 分钟 {op} 授课 {s.minutes} 分钟",
        compared_en=f"recorded {s.recorded_minutes} min {op} session {s.minutes} min",
        remedy="该次理论课不予认可；补全录像或按规定补课",
        remedy_en="the session is not recognised; hold it again, recorded in full",
        values={"minutes": s.minutes, "recorded_minutes": s.recorded_minutes},
    )


@rule(
    "evidence.practical_recording",
    subject="session",
    clause="§19",
    title="实操每学时最少连续录像时长",
    title_en="Practical: continuous recording per class hour",
    parameters=("evidence.min_practical_continuous_recording_minutes",),
)
def practical_recording(s: Session, at: PolicyAt, spec: RuleSpec) -> Decision | None:
    if s.kind != "practical":
        return None
    need: int = at["evidence.min_practical_continuous_recording_minutes"]
    hours = _per_class_hour(s)
    short = [i + 1 for i, m in enumerate(hours) if m < need]
    shortest = min(hours) if hours else 0
    ok = bool(hours) and not short
    op = "≥" if ok else "<"
    return spec.decide(
        at,
        ok=ok,
        subject=_subject(s),
        compared=f"最短一学时连续录像 {shortest} 分钟 {op} {need} 分钟"
        + (f"（第 {', '.join(map(str, short))} 学时不足）" if short else ""),
        compared_en=f"shortest continuous recording in a class hour {shortest} min {op} {need} min"
        + (f" (class hours {', '.join(map(str, short))} short)" if short else ""),
        remedy="不足的学时不予认可；按规定补课并连续录像",
        remedy_en="short class hours are not recognised; make them up, recorded",
        values={"per_class_hour": hours, "short_class_hours": short, "minimum": need},
    )


@rule(
    "evidence.shows_all_trainees",
    subject="session",
    clause="§19",
    title="录像须显示全体参训人员",
    title_en="Recording shows all trainees",
    parameters=("evidence.recording_must_show_all_trainees",),
)
def shows_all_trainees(s: Session, at: PolicyAt, spec: RuleSpec) -> Decision | None:
    if not at["evidence.recording_must_show_all_trainees"]:
        return None
    ok = s.shows_all_trainees
    return spec.decide(
        at,
        ok=ok,
        subject=_subject(s),
        compared="录像显示全体参训人员" if ok else "录像无法显示全体参训人员，当班培训不予认可",
        compared_en="recording shows all trainees"
        if ok
        else "recording does not show all trainees: session not recognised",
        remedy="调整机位使全体学员入镜，当班培训按规定补课",
        remedy_en="place the camera to show every trainee; make the session up",
        values={"shows_all_trainees": ok},
    )


@rule(
    "attendance.counted_trainees",
    subject="attendance",
    clause="§21",
    title="开班人数以实到培训人数为准",
    title_en="Counted trainees = actual attendance at opening",
)
def counted_trainees(a: Attendance, at: PolicyAt, spec: RuleSpec) -> Decision:
    short = a.present_at_opening < a.planned_trainees
    return spec.decide(
        at,
        ok=True,
        warn=short,
        subject=f"class {a.class_ref}",
        compared=f"开班人数按实到 {a.present_at_opening} 人计（计划 {a.planned_trainees} 人）",
        compared_en=f"counted trainees = {a.present_at_opening} present at opening (planned {a.planned_trainees})",
        remedy="以实到人数为准更新花名册",
        remedy_en="update the roster to those actually present",
        values={"counted": a.present_at_opening, "planned": a.planned_trainees},
    )


def trained_count(a: Attendance) -> int:
    """The average present at inspections, rounded down: subsidy is per whole trainee, and a
    fraction of a person present cannot be paid. Without inspections (supervised by video,
    §21) the count at opening stands."""
    if not a.present_at_inspections:
        return a.present_at_opening
    avg = Decimal(sum(a.present_at_inspections)) / len(a.present_at_inspections)
    return int(avg.to_integral_value(rounding=ROUND_FLOOR))


@rule(
    "attendance.trained",
    subject="attendance",
    clause="§21",
    title="培训人数以实地检查在位平均人数为准",
    title_en="Trained = average present at inspections",
)
def trained(a: Attendance, at: PolicyAt, spec: RuleSpec) -> Decision:
    n = trained_count(a)
    seen = ", ".join(map(str, a.present_at_inspections)) or "无实地检查"
    seen_en = ", ".join(map(str, a.present_at_inspections)) or "no inspection"
    return spec.decide(
        at,
        ok=True,
        warn=n < a.present_at_opening,
        subject=f"class {a.class_ref}",
        compared=f"培训人数 {n}（检查在位：{seen}；开班实到 {a.present_at_opening}）",
        compared_en=f"trained {n} (present at inspections: {seen_en}; at opening {a.present_at_opening})",
        remedy="补贴按培训人数计；核查缺勤学员",
        remedy_en="subsidy counts the trained figure; follow up absent trainees",
        values={
            "trained": n,
            "inspections": list(a.present_at_inspections),
            "counted": a.present_at_opening,
        },
    )


def _makeup_problems(
    approved_on: dt.date | None, completed_on: dt.date, final_assessment_on: dt.date | None
) -> tuple[list[str], list[str]]:
    """Why a makeup does not count (§21), in Chinese and English; none when it counts: it was
    approved by the local HR bureau on or before the day it was held, and held before the
    final assessment (any day while none is registered yet)."""
    zh: list[str] = []
    en: list[str] = []
    if approved_on is None:
        zh.append("未经人社部门事先同意")
        en.append("not approved beforehand")
    elif approved_on > completed_on:
        zh.append(f"同意日 {approved_on} 晚于补课日")
        en.append(f"approved {approved_on}, after the makeup")
    if final_assessment_on is not None and completed_on >= final_assessment_on:
        zh.append(f"补课日 {completed_on} 不早于结业考核 {final_assessment_on}")
        en.append(f"made up {completed_on}, not before the assessment {final_assessment_on}")
    return zh, en


@rule(
    "attendance.sign_in_matches",
    subject="attendance",
    clause="§21",
    title="实地检查时签到人数与在位人数相符",
    title_en="Sign-in agrees with those present at inspections",
)
def sign_in_matches(a: Attendance, at: PolicyAt, spec: RuleSpec) -> Decision | None:
    # More names on the sheet than people in the room is the mark of signing in for the
    # absent; the trained count still follows those present (§21), this flags it for review.
    counted = [("开班当日检查", a.signed_in_at_opening, a.present_at_opening)] + [
        (f"第 {i} 次培训期间检查", signed, present)
        for i, (signed, present) in enumerate(
            zip(a.signed_in_at_inspections, a.present_at_inspections, strict=False), start=1
        )
    ]
    compared = [(what, s, p) for what, s, p in counted if s is not None]
    if not compared:
        return None
    over = [(what, s, p) for what, s, p in compared if s > p]
    if over:
        zh = "；".join(f"{what}签到 {s} 人 > 在位 {p} 人（多 {s - p} 人）" for what, s, p in over)
        en = "; ".join(f"{what}: signed in {s} > present {p}" for what, s, p in over)
    else:
        zh, en = "检查时签到人数不多于在位人数", "sign-in never exceeds those present"
    return spec.decide(
        at,
        ok=True,
        warn=bool(over),
        subject=f"class {a.class_ref}",
        compared=zh,
        compared_en=en,
        remedy="核查代签：培训人数仍按在位人数计，对多出的签到逐人核实",
        remedy_en="check for signing in on behalf of absentees; trained still counts those present",
        values={"over": [{"inspection": w, "signed_in": s, "present": p} for w, s, p in over]},
    )


@rule(
    "evidence.makeup_counts",
    subject="makeup",
    clause="§21",
    title="经同意、在结业考核前完成的补课计入到课率",
    title_en="Approved makeups before the final assessment count",
)
def makeup_counts(m: Makeup, at: PolicyAt, spec: RuleSpec) -> Decision:
    problems, problems_en = _makeup_problems(m.approved_on, m.completed_on, m.final_assessment_on)
    ok = not problems
    return spec.decide(
        at,
        ok=ok,
        subject=f"class {m.class_ref} trainee {m.trainee_ref}",
        compared=(
            f"补课 {m.class_hours} 学时计入到课率"
            if ok
            else "补课不计入到课率：" + "；".join(problems)
        ),
        compared_en=(
            f"makeup of {m.class_hours} h counts"
            if ok
            else "makeup does not count: " + "; ".join(problems_en)
        ),
        remedy="补课须先经培训所在地人社部门同意，并在结业考核前完成",
        remedy_en="get the local HR bureau's approval first and finish before the final assessment",
        values={
            "class_hours": m.class_hours,
            "approved_on": m.approved_on,
            "completed_on": m.completed_on,
            "final_assessment_on": m.final_assessment_on,
        },
    )


@dataclass(frozen=True)
class AttendedHours:
    """One trainee's class hours as §21 counts them (``count_attendance``)."""

    class_hours: int
    offline_hours: int  # recognised hours at his sessions and his counting makeups
    makeup_hours: int  # of which the makeups added
    online_hours: int  # credited online hours, up to the planned online hours
    unrecognised_sessions: int  # sessions he attended that §19 does not (fully) recognise

    @property
    def attended_hours(self) -> int:
        return self.offline_hours + self.online_hours

    @property
    def rate(self) -> Decimal:
        return Decimal(self.attended_hours) / Decimal(self.class_hours)


def count_attendance(a: TraineeAttendance) -> AttendedHours:
    """Attended = the recognised hours of the sessions he was present at, lifted to the
    session's full hours by a makeup that counts (a makeup replaces the session he missed,
    or the hours of it §19 did not recognise), plus his credited online hours. Each part
    counts up to its planned hours: offline up to the class hours less the online hours,
    online up to the planned online hours (§21: online theory is part of the class hours,
    not an addition to them)."""
    counting: dict[str, int] = {}
    for m in a.makeups:
        if not _makeup_problems(m.approved_on, m.completed_on, a.final_assessment_on)[0]:
            counting[m.session_ref] = counting.get(m.session_ref, 0) + m.class_hours
    offline = made_up = unrecognised = 0
    for s in a.sessions:
        got = s.recognised_hours if s.present else 0
        if s.present and s.recognised_hours < s.class_hours:
            unrecognised += 1
        added = min(counting.get(s.ref, 0), s.class_hours - got)
        offline += got + added
        made_up += added
    return AttendedHours(
        class_hours=a.class_hours,
        offline_hours=min(offline, max(0, a.class_hours - a.online_planned_hours)),
        makeup_hours=made_up,
        online_hours=min(a.online_credited_hours, a.online_planned_hours),
        unrecognised_sessions=unrecognised,
    )


@rule(
    "attendance.rate",
    subject="trainee_attendance",
    clause="§21",
    title="到课率达到规定方可参加结业考核并享受补贴",
    title_en="Attendance rate needed for the final assessment and the subsidy",
    parameters=("attendance.min_rate",),
)
def attendance_rate(a: TraineeAttendance, at: PolicyAt, spec: RuleSpec) -> Decision | None:
    if a.class_hours <= 0:
        return None
    need: Decimal = at["attendance.min_rate"]
    h = count_attendance(a)
    rate = h.rate
    ok = rate >= need
    op = "≥" if ok else "<"
    # rounded down, so that a rate below the minimum never prints as the minimum
    shown = percent(rate, rounding=ROUND_FLOOR)
    return spec.decide(
        at,
        ok=ok,
        subject=f"class {a.class_ref} trainee {a.trainee_ref}",
        compared=f"到课 {h.attended_hours}/{h.class_hours} 学时 = {shown} {op} {percent(need)}"
        f"（其中线上认定 {h.online_hours} 学时，补课 {h.makeup_hours} 学时，"
        f"未认定课次 {h.unrecognised_sessions} 次）",
        compared_en=f"attended {h.attended_hours}/{h.class_hours} h = {shown} {op} {percent(need)}"
        f" (online credited {h.online_hours} h, makeups {h.makeup_hours} h, "
        f"sessions not recognised {h.unrecognised_sessions})",
        remedy="到课率不足的学员不能参加结业考核、不享受补贴；确有特殊原因的，"
        "经培训所在地人社部门同意后在结业考核前补课",
        remedy_en="below the rate a trainee neither takes the final assessment nor is "
        "subsidised; with the local HR bureau's approval he may make up before the assessment",
        values={
            "attended_hours": h.attended_hours,
            "class_hours": h.class_hours,
            "rate": rate.quantize(Decimal("0.001"), rounding=ROUND_FLOOR),
            "required": need,
            "offline_hours": h.offline_hours,
            "online_hours": h.online_hours,
            "makeup_hours": h.makeup_hours,
            "unrecognised_sessions": h.unrecognised_sessions,
        },
    )
