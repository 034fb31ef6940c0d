"""Rules on a class application (开班申请): size, ratios, class hours, online share and
platform, certificate, the institution's standing, apprentices (§19, §20(1), §20(4), §21).

Pure Python; every number comes from the policy in force on the date evaluated.
"""

from __future__ import annotations

import math
from decimal import Decimal

from .decision import Decision, RuleSpec, add_months, percent, rule
from .facts import CERTIFICATE_NAMES, ClassApplication
from .params import PolicyAt


def _subject(c: ClassApplication) -> str:
    return f"class {c.ref}"


def class_size(c: ClassApplication) -> int:
    """The larger of the planned count and the roster: neither may exceed the limit."""
    return max(c.planned_trainees, len(c.roster))


@rule(
    "class.max_size",
    subject="class",
    clause="§20(1)",
    title="每班人数上限",
    title_en="Class size limit",
    parameters=("class.max_size",),
)
def max_size(c: ClassApplication, at: PolicyAt, spec: RuleSpec) -> Decision:
    limit: int = at["class.max_size"]
    size = class_size(c)
    ok = size <= limit
    op = "≤" if ok else ">"
    return spec.decide(
        at,
        ok=ok,
        subject=_subject(c),
        compared=f"班级人数 {size} {op} {limit}",
        compared_en=f"class size {size} {op} {limit}",
        remedy=f"将学员分为两个或多个班，每班不超过 {limit} 人",
        remedy_en=f"split the trainees into classes of at most {limit}",
        values={
            "size": size,
            "planned": c.planned_trainees,
            "roster": len(c.roster),
            "limit": limit,
        },
    )


def _ratio(
    spec: RuleSpec,
    at: PolicyAt,
    c: ClassApplication,
    have: int,
    what: str,
    what_en: str,
    param: str,
) -> Decision:
    per: int = at[param]
    size = class_size(c)
    capacity = have * per
    ok = size <= capacity
    op = "≤" if ok else ">"
    needed = math.ceil(size / per) if per else 0  # the fewest that would satisfy 1:per
    return spec.decide(
        at,
        ok=ok,
        subject=_subject(c),
        compared=f"学员 {size} 人 {op} {what} {have} × {per}",
        compared_en=f"{size} trainees {op} {have} {what_en} × {per}",
        remedy=f"{what}至少应为 {needed}，或减少学员",
        remedy_en=f"provide at least {needed} {what_en}, or fewer trainees",
        values={"trainees": size, what_en: have, "per": per, "needed": needed},
    )


@rule(
    "class.teacher_ratio",
    subject="class",
    clause="§20(1)",
    title="师生比",
    title_en="Teacher ratio",
    parameters=("class.max_trainees_per_teacher",),
)
def teacher_ratio(c: ClassApplication, at: PolicyAt, spec: RuleSpec) -> Decision:
    return _ratio(spec, at, c, c.teachers, "教师", "teachers", "class.max_trainees_per_teacher")


@rule(
    "class.workstation_ratio",
    subject="class",
    clause="§20(1)",
    title="工位比",
    title_en="Workstation ratio",
    parameters=("class.max_trainees_per_workstation",),
)
def workstation_ratio(c: ClassApplication, at: PolicyAt, spec: RuleSpec) -> Decision:
    return _ratio(
        spec, at, c, c.workstations, "工位", "workstations", "class.max_trainees_per_workstation"
    )


@rule(
    "class.class_hour_minutes",
    subject="class",
    clause="§20(1)",
    title="每课时最短时长",
    title_en="Length of a class hour",
    parameters=("class.min_class_hour_minutes",),
)
def class_hour_minutes(c: ClassApplication, at: PolicyAt, spec: RuleSpec) -> Decision:
    floor: int = at["class.min_class_hour_minutes"]
    ok = c.class_hour_minutes >= floor
    op = "≥" if ok else "<"
    return spec.decide(
        at,
        ok=ok,
        subject=_subject(c),
        compared=f"每课时 {c.class_hour_minutes} 分钟 {op} {floor} 分钟",
        compared_en=f"class hour of {c.class_hour_minutes} min {op} {floor} min",
        remedy=f"把课时改为不少于 {floor} 分钟",
        remedy_en=f"make each class hour at least {floor} minutes",
        values={"minutes": c.class_hour_minutes, "minimum": floor},
    )


@rule(
    "class.practical_share",
    subject="class",
    clause="§20(1)",
    title="实操课时最低比例",
    title_en="Practical share of class hours",
    parameters=("class.min_practical_share",),
)
def practical_share(c: ClassApplication, at: PolicyAt, spec: RuleSpec) -> Decision | None:
    if c.mode == "online":
        return None  # pure-online training has no practical part; §20(3)–(4) govern it
    floor: Decimal = at["class.min_practical_share"]
    share = Decimal(c.practical_hours) / Decimal(c.class_hours) if c.class_hours else Decimal(0)
    ok = c.class_hours > 0 and share >= floor
    op = "≥" if ok else "<"
    needed = math.ceil(floor * c.class_hours)
    return spec.decide(
        at,
        ok=ok,
        subject=_subject(c),
        compared=f"实操 {c.practical_hours}/{c.class_hours} 学时 = {percent(share)} {op} {percent(floor)}",
        compared_en=f"practical {c.practical_hours}/{c.class_hours} h = {percent(share)} {op} {percent(floor)}",
        remedy=f"实操至少应为 {needed} 学时",
        remedy_en=f"plan at least {needed} practical class hours",
        values={
            "practical_hours": c.practical_hours,
            "class_hours": c.class_hours,
            "share": share,
            "minimum": floor,
            "needed": needed,
        },
    )


@rule(
    "class.online_theory_share",
    subject="class",
    clause="§21",
    title="线上理论学习最高比例",
    title_en="Online theory share",
    parameters=("class.max_online_theory_share",),
)
def online_theory_share(c: ClassApplication, at: PolicyAt, spec: RuleSpec) -> Decision | None:
    if c.mode == "online" or c.online_theory_hours == 0:
        return None
    cap: Decimal = at["class.max_online_theory_share"]
    share = Decimal(c.online_theory_hours) / Decimal(c.class_hours) if c.class_hours else Decimal(1)
    within_theory = c.online_theory_hours <= c.theory_hours
    ok = share <= cap and within_theory
    op = "≤" if share <= cap else ">"
    zh = f"线上理论 {c.online_theory_hours}/{c.class_hours} 学时 = {percent(share)} {op} {percent(cap)}"
    en = f"online theory {c.online_theory_hours}/{c.class_hours} h = {percent(share)} {op} {percent(cap)}"
    if not within_theory:
        zh += f"；线上 {c.online_theory_hours} 学时 > 理论 {c.theory_hours} 学时"
        en += f"; online {c.online_theory_hours} h > theory {c.theory_hours} h"
    allowed = min(math.floor(cap * c.class_hours), c.theory_hours)
    return spec.decide(
        at,
        ok=ok,
        subject=_subject(c),
        compared=zh,
        compared_en=en,
        remedy=f"线上只能安排理论学习，且不超过 {allowed} 学时",
        remedy_en=f"only theory may be online, at most {allowed} class hours",
        values={
            "online_theory_hours": c.online_theory_hours,
            "class_hours": c.class_hours,
            "theory_hours": c.theory_hours,
            "share": share,
            "maximum": cap,
        },
    )


@rule(
    "class.online_platform",
    subject="class",
    clause="§21、§20(3)",
    title="线上学习只能依托目录清单内、未被禁入的平台",
    title_en="Online platform in the catalog",
    parameters=("class.max_online_theory_share", "online.platform_ban_years"),
)
def online_platform(c: ClassApplication, at: PolicyAt, spec: RuleSpec) -> Decision | None:
    if c.mode == "offline" and c.online_theory_hours == 0:
        return None
    years: int = at["online.platform_ban_years"]
    p = c.platform
    if p is None:
        return spec.decide(
            at,
            ok=False,
            subject=_subject(c),
            compared="有线上学时但未指定平台",
            compared_en="online class hours but no platform named",
            remedy="指定目录清单内的线上平台",
            remedy_en="name a platform in the catalog",
        )
    bans = [v for v in p.violations if v <= c.start_date < add_months(v, 12 * years)]
    ok = p.in_catalog and not bans
    if not p.in_catalog:
        zh, en = f"平台 {p.code} 不在目录清单内", f"platform {p.code} is not in the catalog"
    elif bans:
        until = add_months(max(bans), 12 * years)
        zh = f"平台 {p.code} 于 {max(bans)} 违规，{until} 前不得参与补贴培训"
        en = f"platform {p.code} broke the rules on {max(bans)}; barred until {until}"
    else:
        zh, en = f"平台 {p.code} 在目录清单内", f"platform {p.code} is in the catalog"
    return spec.decide(
        at,
        ok=ok,
        subject=_subject(c),
        compared=zh,
        compared_en=en,
        remedy="改用目录清单内、未被禁入的平台，或改为线下授课",
        remedy_en="use a catalog platform that is not barred, or teach offline",
        values={
            "platform": p.code,
            "in_catalog": p.in_catalog,
            "violations": list(p.violations),
            "ban_years": years,
        },
    )


def pass_certificate_only(c: ClassApplication) -> bool:
    return c.certificate_type == "training_pass" and set(c.certificates_available) <= {
        "training_pass"
    }


@rule(
    "class.pass_certificate_hours",
    subject="class",
    clause="§19",
    title="只能考培训合格证书的培训最少学时",
    title_en="Class hours of a pass-certificate-only class",
    parameters=("class.min_pass_certificate_class_hours",),
)
def pass_certificate_hours(c: ClassApplication, at: PolicyAt, spec: RuleSpec) -> Decision | None:
    if not pass_certificate_only(c):
        return None
    floor: int = at["class.min_pass_certificate_class_hours"]
    # "有明确学时规定的除外": a prescribed number of hours replaces the general floor.
    need = c.prescribed_class_hours if c.prescribed_class_hours is not None else floor
    ok = c.class_hours >= need
    op = "≥" if ok else "<"
    basis, basis_en = ("明确学时规定", "prescribed hours") if c.prescribed_class_hours else ("", "")
    return spec.decide(
        at,
        ok=ok,
        subject=_subject(c),
        compared=f"总学时 {c.class_hours} {op} {need}{'（' + basis + '）' if basis else ''}",
        compared_en=f"class hours {c.class_hours} {op} {need}{' (' + basis_en + ')' if basis_en else ''}",
        remedy=f"培训合格证书类培训至少安排 {need} 学时",
        remedy_en=f"a pass-certificate class needs at least {need} class hours",
        values={
            "class_hours": c.class_hours,
            "minimum": need,
            "prescribed": c.prescribed_class_hours,
        },
    )


def other_certificates(available: tuple[str, ...]) -> list[str]:
    return sorted(set(available) - {"training_pass"})


def certificate_names(kinds: list[str]) -> str:
    return "、".join(CERTIFICATE_NAMES[k] for k in kinds) or "无其他证书"


@rule(
    "class.certificate_required",
    subject="class",
    clause="§20(4)",
    title="能取得证书的须参加鉴定评价，不得直接考培训合格证书",
    title_en="A certificate must be taken where one exists",
)
def certificate_required(c: ClassApplication, at: PolicyAt, spec: RuleSpec) -> Decision:
    others = other_certificates(c.certificates_available)
    ok = not (c.certificate_type == "training_pass" and others)
    return spec.decide(
        at,
        ok=ok,
        subject=_subject(c),
        compared=f"考核 {CERTIFICATE_NAMES[c.certificate_type]}；该职业等级可取得 {certificate_names(others)}",
        compared_en=f"assessment {c.certificate_type}; certificates available: {', '.join(others) or 'none'}",
        remedy="组织学员参加鉴定评价或考核取证，不得直接考培训合格证书",
        remedy_en="have the trainees assessed for the certificate; a pass-certificate exam is not recognised",
        values={"certificate_type": c.certificate_type, "available": others},
    )


@rule(
    "class.institution_catalog",
    subject="class",
    clause="§20(1)、§21",
    title="机构在开班日已纳入该职业的年度目录清单",
    title_en="Institution in the catalog for the occupation",
)
def institution_catalog(c: ClassApplication, at: PolicyAt, spec: RuleSpec) -> Decision:
    inst = c.institution
    entries = [e for e in inst.catalog if e.occupation == c.occupation]
    ok = any(e.covers(c.start_date) for e in entries)
    if ok:
        zh = f"机构 {inst.code} 在 {c.start_date} 已纳入职业 {c.occupation} 的目录清单"
        en = f"institution {inst.code} is in the catalog for {c.occupation} on {c.start_date}"
    elif entries:
        spans = "，".join(f"{e.valid_from}–{e.until or '…'}" for e in entries)
        zh = f"开班日 {c.start_date} 不在机构 {inst.code} 职业 {c.occupation} 的目录期间（{spans}）内"
        en = f"start {c.start_date} is outside the catalog period(s) {spans} for {c.occupation}"
    else:
        zh = f"机构 {inst.code} 未纳入职业 {c.occupation} 的目录清单"
        en = f"institution {inst.code} is not in the catalog for {c.occupation}"
    return spec.decide(
        at,
        ok=ok,
        subject=_subject(c),
        compared=zh,
        compared_en=en,
        remedy="开班日期须在纳入目录（或职业依法变更）之日以后；或申请纳入目录清单",
        remedy_en="start on or after the catalog (or lawful change) date, or apply to join the catalog",
        values={"institution": inst.code, "occupation": c.occupation, "start_date": c.start_date},
    )


@rule(
    "class.institution_sanctions",
    subject="class",
    clause="§20(4)",
    title="机构未被暂停或列入黑名单",
    title_en="Institution not suspended or blacklisted",
)
def institution_sanctions(c: ClassApplication, at: PolicyAt, spec: RuleSpec) -> Decision:
    active = [s for s in c.institution.sanctions if s.covers(c.start_date)]
    names = {"suspension": ("暂停", "suspended"), "blacklist": ("黑名单", "blacklisted")}
    if active:
        s = active[0]
        zh = f"开班日 {c.start_date} 机构处于{names[s.kind][0]}期（{s.valid_from}–{s.until or '未解除'}）"
        if s.reason:
            zh += f"，事由：{s.reason}"
        en = f"on {c.start_date} the institution is {names[s.kind][1]} ({s.valid_from}–{s.until or 'open'})"
    else:
        zh, en = "开班日机构无有效处分", "no sanction in force on the start date"
    return spec.decide(
        at,
        ok=not active,
        subject=_subject(c),
        compared=zh,
        compared_en=en,
        remedy="处分期满或解除（动态退出）后再申请开班",
        remedy_en="apply again once the sanction ends or is lifted (dynamic exit)",
        values={"sanctions": [f"{s.kind}:{s.valid_from}–{s.until or ''}" for s in active]},
        # the sanction's own basis: a satisfaction suspension rests on §19, not §20(4)
        basis=active[0].clause if active else "",
    )


@rule(
    "class.institution_rectification",
    subject="class",
    clause="§19",
    title="满意度不达标的机构整改期内停止开班",
    title_en="No new class during rectification",
    parameters=("outcomes.min_satisfaction_share", "outcomes.rectification_months"),
)
def institution_rectification(c: ClassApplication, at: PolicyAt, spec: RuleSpec) -> Decision:
    floor: Decimal = at["outcomes.min_satisfaction_share"]
    months: int = at["outcomes.rectification_months"]
    low = [
        r
        for r in c.institution.satisfaction
        if r.share < floor and r.surveyed_on <= c.start_date < add_months(r.surveyed_on, months)
    ]
    if low:
        r = max(low, key=lambda r: r.surveyed_on)
        until = add_months(r.surveyed_on, months)
        zh = (
            f"{r.surveyed_on} 满意度 {percent(r.share)} < {percent(floor)}，"
            f"整改至 {until} 前停止开班；开班日 {c.start_date}"
        )
        en = (
            f"satisfaction {percent(r.share)} < {percent(floor)} on {r.surveyed_on}: "
            f"no new class before {until}; start {c.start_date}"
        )
    else:
        until = None
        zh, en = "开班日不在满意度整改期内", "start date not within a rectification period"
    return spec.decide(
        at,
        ok=not low,
        subject=_subject(c),
        compared=zh,
        compared_en=en,
        remedy=f"整改期满（{until}）后再开班" if until else "",
        remedy_en=f"open the class on or after {until}" if until else "",
        values={"rectification_until": until, "minimum": floor, "months": months},
    )


@rule(
    "class.apprentices",
    subject="class",
    clause="§20(1)",
    title="学徒制单个职业人数与该职业专职教师数之比",
    title_en="Apprentices per full-time teacher",
    parameters=("class.max_apprentices_per_fulltime_teacher",),
)
def apprentices(c: ClassApplication, at: PolicyAt, spec: RuleSpec) -> Decision | None:
    if not c.apprenticeship:
        return None
    per: int = at["class.max_apprentices_per_fulltime_teacher"]
    teachers = c.institution.fulltime_teachers.get(c.occupation, 0)
    cap = teachers * per
    ok = c.apprentices_in_occupation <= cap
    op = "≤" if ok else ">"
    needed = math.ceil(c.apprentices_in_occupation / per) if per else 0
    return spec.decide(
        at,
        ok=ok,
        subject=_subject(c),
        compared=f"学徒 {c.apprentices_in_occupation} 人 {op} 专职教师 {teachers} × {per}",
        compared_en=f"{c.apprentices_in_occupation} apprentices {op} {teachers} full-time teachers × {per}",
        remedy=f"该职业专职教师至少应为 {needed} 名，或减少学徒",
        remedy_en=f"employ at least {needed} full-time teachers of the occupation, or take fewer apprentices",
        values={
            "apprentices": c.apprentices_in_occupation,
            "fulltime_teachers": teachers,
            "per": per,
            "limit": cap,
        },
    )
