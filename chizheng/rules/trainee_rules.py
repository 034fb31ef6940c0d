"""Rules on one trainee joining one class (``Enrolment``): a valid ID, the cooldown between
subsidised trainings and no two at once (§20(3)), the post and transfer occupation rules and the graduating-year
student rule (§19).

Pure Python; occupation relations come from ``occupations`` and nowhere else.
"""

from __future__ import annotations

from chizheng.core import ids

from . import occupations
from .decision import Decision, RuleSpec, add_months, rule
from .facts import Enrolment
from .params import PolicyAt


def _subject(e: Enrolment) -> str:
    return f"class {e.application.ref} trainee {e.trainee.ref}"


@rule(
    "trainee.id_valid",
    subject="enrolment",
    clause="§20(5)",
    title="实名参训：身份证号码有效",
    title_en="A real, valid ID number",
)
def id_valid(e: Enrolment, at: PolicyAt, spec: RuleSpec) -> Decision:
    # Judged on the class's start date, so a birth date "in the future" of that day fails.
    r = ids.check(e.trainee.id_number, today=e.application.start_date)
    masked = ids.mask(e.trainee.id_number) if r.number else "（空）"
    return spec.decide(
        at,
        ok=r.valid,
        subject=_subject(e),
        compared=f"身份证号码 {masked} {'有效' if r.valid else '无效：' + r.reason}",
        compared_en=f"ID {masked} {'is valid' if r.valid else 'is invalid: ' + r.reason_en}",
        remedy="核对学员身份证原件，更正号码",
        remedy_en="check the trainee's ID card and correct the number",
        values={"id": masked, "reason": r.reason},
    )


@rule(
    "trainee.cooldown",
    subject="enrolment",
    clause="§20(3)",
    title="上一补贴培训未考核或考核结束未满间隔期的不得再次参训",
    title_en="Cooldown between subsidised trainings",
    parameters=("trainee.cooldown_months",),
)
def cooldown(e: Enrolment, at: PolicyAt, spec: RuleSpec) -> Decision:
    months: int = at["trainee.cooldown_months"]
    start = e.application.start_date
    earlier = [
        h for h in e.trainee.history if h.started_on < start and h.class_ref != e.application.ref
    ]
    unassessed = [h for h in earlier if h.assessed_on is None or h.assessed_on > start]
    recent = [
        h
        for h in earlier
        if h.assessed_on is not None
        and h.assessed_on <= start
        and start < add_months(h.assessed_on, months)
    ]
    if unassessed:
        h = unassessed[0]
        zh = f"上一培训 {h.class_ref}（{h.started_on} 开班）在 {start} 尚未考核"
        en = f"previous training {h.class_ref} (started {h.started_on}) not assessed by {start}"
        remedy, remedy_en = (
            f"待上一培训考核结束满 {months} 个月后再报名",
            "enrol after the previous training is assessed and the cooldown ends",
        )
        free_from = None
    elif recent:
        h = max(recent, key=lambda h: h.assessed_on or start)
        assert h.assessed_on is not None
        free_from = add_months(h.assessed_on, months)
        zh = f"上一培训 {h.class_ref} 于 {h.assessed_on} 考核，开班日 {start} < {free_from}"
        en = (
            f"previous training {h.class_ref} assessed {h.assessed_on}; start {start} < {free_from}"
        )
        remedy, remedy_en = (
            f"{free_from} 及以后开班的班次方可报名",
            f"enrol in a class starting on or after {free_from}",
        )
    else:
        free_from = None
        zh, en = (
            f"无未考核或考核不足 {months} 个月的补贴培训",
            "no unassessed or recently assessed subsidised training",
        )
        remedy = remedy_en = ""
    return spec.decide(
        at,
        ok=not (unassessed or recent),
        subject=_subject(e),
        compared=zh,
        compared_en=en,
        remedy=remedy,
        remedy_en=remedy_en,
        values={
            "start_date": start,
            "eligible_from": free_from,
            "months": months,
            "unassessed": [h.class_ref for h in unassessed],
        },
    )


@rule(
    "trainee.overlap",
    subject="enrolment",
    clause="§20(3)",
    title="同一人员不得同时参加培训期重叠的两个补贴培训班",
    title_en="No two subsidised classes at once",
)
def overlap(e: Enrolment, at: PolicyAt, spec: RuleSpec) -> Decision:
    # Whichever class started first: the cooldown sees only the earlier ones, so a class
    # applied for later but starting earlier would pass it. Periods are whole days, ends
    # included; a class whose end is not known is taken to last its first day.
    start = e.application.start_date
    end = e.application.end_date or start
    clashes = [
        h
        for h in e.trainee.history
        if h.class_ref != e.application.ref
        and h.started_on <= end
        and start <= (h.ends_on or h.started_on)
    ]
    if clashes:
        h = clashes[0]
        other_end = h.ends_on or h.started_on
        zh = f"与补贴培训 {h.class_ref}（{h.started_on} 至 {other_end}）的培训期重叠"
        en = f"overlaps subsidised training {h.class_ref} ({h.started_on} to {other_end})"
    else:
        zh, en = "无培训期重叠的补贴培训", "no subsidised training at the same time"
    return spec.decide(
        at,
        ok=not clashes,
        subject=_subject(e),
        compared=zh,
        compared_en=en,
        remedy="请待另一培训班结束后再参加，或将其移出其中一个班的名册" if clashes else "",
        remedy_en="take the other class first, or leave one of the two rosters" if clashes else "",
        values={
            "period": f"{start}/{end}",
            "overlapping": [h.class_ref for h in clashes],
        },
    )


@rule(
    "trainee.post_occupation",
    subject="enrolment",
    clause="§19",
    title="企业职工参加与本人岗位相同或相近的职业培训",
    title_en="Employee trains in his post's occupation",
)
def post_occupation(e: Enrolment, at: PolicyAt, spec: RuleSpec) -> Decision | None:
    t, occ = e.trainee, e.application.occupation
    if t.post_occupation is None or t.former_occupation is not None:
        return None  # not an employee, or a transferred one (the transfer rule applies)
    ok = occupations.similar(occ, t.post_occupation)
    rel, rel_en = (
        ("相同或相近", "same or similar") if ok else ("不相同也不相近", "neither same nor similar")
    )
    return spec.decide(
        at,
        ok=ok,
        subject=_subject(e),
        compared=f"培训职业 {occ} 与岗位职业 {t.post_occupation} {rel}（同一小类）",
        compared_en=f"class occupation {occ} and post occupation {t.post_occupation}: {rel_en} (same minor group)",
        remedy="企业职工应参加与本岗位相同或相近职业的培训",
        remedy_en="an employee must train in his post's or a similar occupation",
        values={"occupation": occ, "post_occupation": t.post_occupation},
    )


@rule(
    "trainee.transfer_occupation",
    subject="enrolment",
    clause="§19",
    title="转岗职工培训职业与原岗位职业不属同一职业分类",
    title_en="Transferred employee trains outside the former classification",
)
def transfer_occupation(e: Enrolment, at: PolicyAt, spec: RuleSpec) -> Decision | None:
    t, occ = e.trainee, e.application.occupation
    if t.former_occupation is None:
        return None
    same = occupations.same_classification(occ, t.former_occupation)
    return spec.decide(
        at,
        ok=not same,
        subject=_subject(e),
        compared=f"培训职业 {occ} 与原岗位职业 {t.former_occupation} {'同属' if same else '不属'}中类 "
        f"{occupations.parse(t.former_occupation).medium_group}",
        compared_en=f"class occupation {occ} {'is' if same else 'is not'} in the former occupation's "
        f"classification {occupations.parse(t.former_occupation).medium_group}",
        remedy="转岗职工应参加其他职业分类的培训",
        remedy_en="a transferred employee must train in another classification",
        values={"occupation": occ, "former_occupation": t.former_occupation},
    )


@rule(
    "trainee.graduating_student",
    subject="enrolment",
    clause="§19",
    title="不得对毕业学年在校生开展在读专业的补贴性培训",
    title_en="No subsidised training in a graduating student's major",
    parameters=("trainee.graduating_year_months",),
)
def graduating_student(e: Enrolment, at: PolicyAt, spec: RuleSpec) -> Decision | None:
    s, occ, start = e.trainee.student, e.application.occupation, e.application.start_date
    if s is None:
        return None
    months: int = at["trainee.graduating_year_months"]
    year_from = add_months(s.graduation_date, -months)
    graduating = year_from < start <= s.graduation_date
    in_major = any(occupations.similar(occ, m) for m in s.major_occupations)
    ok = not (graduating and in_major)
    if not graduating:
        zh = f"开班日 {start} 不在毕业学年（{year_from} 后至 {s.graduation_date}）内"
        en = f"start {start} is outside the graduating year ({year_from}–{s.graduation_date})"
    else:
        zh = (
            f"毕业学年在校生（{s.school} {s.major}，{s.graduation_date} 毕业）；培训职业 {occ} "
            f"{'属' if in_major else '不属'}在读专业"
        )
        en = (
            f"graduating-year student ({s.major}, graduating {s.graduation_date}); occupation {occ} "
            f"{'is' if in_major else 'is not'} in the major"
        )
    return spec.decide(
        at,
        ok=ok,
        subject=_subject(e),
        compared=zh,
        compared_en=en,
        remedy="毕业后再参加本专业的补贴培训，或选择其他专业方向的职业",
        remedy_en="train in the major after graduating, or choose an occupation outside the major",
        values={
            "graduating": graduating,
            "in_major": in_major,
            "graduation_date": s.graduation_date,
        },
    )
