"""The cross-checks on sign-in sheets and evidence photos (SPEC §7, issue 15): trainees with
the same absences, a whole class present beyond likelihood, one photo kept for several
sessions or classes (perceptual hashes compared within a Hamming distance). Pure Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from .crosscheck_catalog import _digest, _found
from .crosscheck_rows import (
    AbsenceRow,
    ClassAttendance,
    Found,
    StillRow,
    evidence,
)
from .params import PolicyAt


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
    linked: dict[int, set[int]] = defaultdict(set)
    for i, j in distance:
        linked[root(i)].update((i, j))
    out = []
    for group in linked.values():
        rs = sorted((stills[k] for k in group), key=lambda r: (r.taken_on, r.id))
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
