"""The cross-checks on who is behind the records (SPEC §7, issue 15): one bank account behind
several applicants, one person under several forms of his ID number — compared on blind
indexes and masked forms, never on a decrypted number. Pure Python.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from .crosscheck_catalog import _found
from .crosscheck_rows import (
    AccountRow,
    Found,
    IdFormRow,
    evidence,
)
from .params import PolicyAt


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
