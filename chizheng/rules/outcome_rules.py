"""Rules on outcomes (§19): satisfaction below the floor stops the institution opening
classes for the rectification period; special-ability plus training-pass certificates stay
within their share of all certificates, per institution, county and city.

Pure Python.
"""

from __future__ import annotations

import math
from decimal import Decimal

from .decision import Decision, RuleSpec, add_months, percent, rule
from .facts import CertificateCounts, Satisfaction
from .params import PolicyAt


@rule(
    "outcomes.satisfaction",
    subject="satisfaction",
    clause="§19",
    title="满意度不达标的停止开班整改",
    title_en="Low satisfaction stops new classes",
    parameters=("outcomes.min_satisfaction_share", "outcomes.rectification_months"),
)
def satisfaction(s: Satisfaction, at: PolicyAt, spec: RuleSpec) -> Decision:
    floor: Decimal = at["outcomes.min_satisfaction_share"]
    months: int = at["outcomes.rectification_months"]
    r = s.result
    ok = r.share >= floor
    op = "≥" if ok else "<"
    until = None if ok else add_months(r.surveyed_on, months)
    return spec.decide(
        at,
        ok=ok,
        subject=f"institution {s.institution}" + (f" class {r.class_ref}" if r.class_ref else ""),
        compared=f"满意度 {r.satisfied}/{r.responses} = {percent(r.share)} {op} {percent(floor)}",
        compared_en=f"satisfaction {r.satisfied}/{r.responses} = {percent(r.share)} {op} {percent(floor)}",
        remedy=f"停止开班，整改至 {until}",
        remedy_en=f"no new class; rectify until {until}",
        values={"share": r.share, "minimum": floor, "rectification_until": until},
    )


@rule(
    "outcomes.certificate_mix",
    subject="certificates",
    clause="§19",
    title="专项职业能力证书和合格证书占取证总数的比例",
    title_en="Share of special-ability plus pass certificates",
    parameters=("outcomes.max_special_and_pass_certificate_share",),
)
def certificate_mix(c: CertificateCounts, at: PolicyAt, spec: RuleSpec) -> Decision:
    cap: Decimal = at["outcomes.max_special_and_pass_certificate_share"]
    part = c.special_ability + c.training_pass
    share = Decimal(part) / Decimal(c.total) if c.total else Decimal(0)
    ok = share <= cap
    op = "≤" if ok else ">"
    scope = {"institution": "机构", "county": "县（市、区）", "city": "全市"}[c.scope]
    # How many more other certificates would bring the share back within the cap.
    missing = max(0, math.ceil(Decimal(part) / cap) - c.total) if cap else 0
    return spec.decide(
        at,
        ok=ok,
        subject=f"{c.scope} {c.scope_ref}",
        compared=f"{scope}专项+合格证书 {part}/{c.total} = {percent(share)} {op} {percent(cap)}",
        compared_en=f"{c.scope} special-ability + pass certificates {part}/{c.total} = {percent(share)} {op} {percent(cap)}",
        remedy=f"压缩专项职业能力和培训合格证书类培训；需再增加 {missing} 本其他证书方可回到上限内",
        remedy_en=f"cut special-ability and pass-certificate training; {missing} more other certificates needed to be within the cap",
        values={
            "special_ability": c.special_ability,
            "training_pass": c.training_pass,
            "total": c.total,
            "share": share,
            "maximum": cap,
        },
    )
