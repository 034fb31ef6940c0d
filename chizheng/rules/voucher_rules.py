"""The voucher a claim line presents (§20(5)): 实名制、不得转让、以证换券、无证无价. A trainee's
line is paid for his voucher only if it is his own, bound to the class claimed for, and was
valid when that class began; a voucher bound to another class, expired, or another person's
makes the line unpayable, and so does his voucher of this class gone void because the claim
did not come in time after his certificate. A voucher he holds without binding it to the
class is noted (it is not used here and stays his).

Pure Python.
"""

from __future__ import annotations

from .decision import Decision, RuleSpec, rule
from .facts import VoucherUse
from .params import PolicyAt


@rule(
    "claim.voucher",
    subject="voucher",
    clause="§20(5)",
    title="电子培训券实名、绑定本班、有效期内使用（以证换券）",
    title_en="Training voucher: own, bound to the class, valid when it began",
)
def voucher(v: VoucherUse, at: PolicyAt, spec: RuleSpec) -> Decision | None:
    values = {
        "number": v.number,
        "holder": v.holder_ref,
        "bound_class": v.bound_class_ref,
        "expires_on": v.expires_on,
        "started_on": v.started_on,
    }
    subject = f"class {v.class_ref} trainee {v.trainee_ref}"
    if v.status == "void" and v.lapsed_on is not None and v.bound_class_ref == v.class_ref:
        return spec.decide(
            at,
            ok=False,
            subject=subject,
            compared=(f"培训券 {v.number} 取得证书后本班逾期未申领补贴，已于 {v.lapsed_on} 作废"),
            compared_en=(
                f"voucher {v.number} went void on {v.lapsed_on}: no claim for the class "
                "within the time after the certificate"
            ),
            remedy="已取证的培训券须在期限内由本班申领补贴兑付；逾期作废的券不再兑付",
            remedy_en="a certified voucher is redeemed only through a claim made in time",
            values={**values, "lapsed_on": v.lapsed_on},
        )
    if v.status in ("redeemed", "void"):
        return None  # spent or void: nothing is presented
    if v.holder_ref != v.trainee_ref:
        return spec.decide(
            at,
            ok=False,
            subject=subject,
            compared=f"培训券 {v.number} 属于 {v.holder_ref}，不是学员 {v.trainee_ref} 本人的（实名制、不得转让）",
            compared_en=f"voucher {v.number} belongs to {v.holder_ref}, not to the trainee {v.trainee_ref}",
            remedy="他人的培训券不能用于该学员：核实学员身份，由本人持本人的培训券报名",
            remedy_en="another person's voucher cannot pay for this trainee: check who trained",
            values=values,
        )
    if v.bound_class_ref is None:
        return spec.decide(
            at,
            ok=True,
            warn=True,
            subject=subject,
            compared=f"学员持有培训券 {v.number}，未绑定本班：本班未使用，券仍由本人持有",
            compared_en=f"the trainee holds voucher {v.number}, not bound to this class: unused here",
            remedy="持券参训的，应在报名时将培训券绑定本班",
            remedy_en="a trainee who trains on his voucher has it bound to the class at enrolment",
            values=values,
        )
    if v.bound_class_ref != v.class_ref:
        return spec.decide(
            at,
            ok=False,
            subject=subject,
            compared=f"培训券 {v.number} 已绑定培训班 {v.bound_class_ref}，不是本班 {v.class_ref}",
            compared_en=f"voucher {v.number} is bound to class {v.bound_class_ref}, not {v.class_ref}",
            remedy="一张培训券只用于其绑定的培训班：本班不能以此券申领该学员的补贴",
            remedy_en="a voucher pays only for the class it is bound to",
            values=values,
        )
    ok = v.started_on <= v.expires_on
    op = "≤" if ok else ">"
    if not ok:
        compared = (
            f"培训券 {v.number} 有效期至 {v.expires_on}，本班 {v.started_on} 开班时已过期"
            f"（开班日 {op} 有效期）"
        )
    else:
        compared = (
            f"培训券 {v.number} 为本人所持、绑定本班，开班日 {v.started_on} {op} 有效期"
            f" {v.expires_on}"
        )
    return spec.decide(
        at,
        ok=ok,
        subject=subject,
        compared=compared,
        compared_en=f"voucher {v.number}: class began {v.started_on} {op} valid until {v.expires_on}",
        remedy="过期的培训券不能兑付：培训券须在有效期内开班使用",
        remedy_en="an expired voucher is not paid: it must be valid when the class begins",
        values=values,
    )
