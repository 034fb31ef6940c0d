"""The cross-checks on what was paid (SPEC §7, issue 15): a claim that counted online time
the audit voided, a paid line whose voucher bound to the class was not redeemed. Pure Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .crosscheck_catalog import _found
from .crosscheck_rows import (
    Found,
    OnlineClaimRow,
    VoucherLineRow,
    evidence,
)
from .params import PolicyAt


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
