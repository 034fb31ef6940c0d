"""The cross-checks on capacity and filed scope (SPEC §7, issue 15): an evaluation institution
certifying outside its filed scope or beyond its daily capacity, a site's workstations
booked beyond capacity by concurrent classes. Pure Python.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from .crosscheck_catalog import _found
from .crosscheck_rows import (
    Found,
    IssuedRow,
    SiteBooking,
    evidence,
)
from .params import PolicyAt


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
                subjects=[{"kind": "evaluator", "id": evaluator_id, "label": e.evaluator}]
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
                institution_id=None,  # an evaluator: its own risk, by its subject
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
                subjects=[{"kind": "evaluator", "id": evaluator_id, "label": e.evaluator}]
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
                institution_id=None,  # an evaluator: its own risk, by its subject
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
