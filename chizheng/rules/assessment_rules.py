"""Rules on a final assessment (结业考核): the certificate it leads to and who asked for a
pure-online training's assessment (§20(4)); registration ahead of the date (附件2).

Pure Python.
"""

from __future__ import annotations

from .class_rules import certificate_names, other_certificates
from .decision import Decision, RuleSpec, rule
from .facts import CERTIFICATE_NAMES, Assessment
from .params import PolicyAt


def _subject(a: Assessment) -> str:
    return f"assessment of class {a.class_ref}"


@rule(
    "assessment.certificate_required",
    subject="assessment",
    clause="§20(4)",
    title="能取得证书的，直接组织培训合格证书考试的不认可",
    title_en="A pass-certificate exam is not recognised where a certificate exists",
)
def certificate_required(a: Assessment, at: PolicyAt, spec: RuleSpec) -> Decision:
    others = other_certificates(a.certificates_available)
    ok = not (a.certificate_type == "training_pass" and others)
    level, level_en = (f" {a.level} 级", f" level {a.level}") if a.level is not None else (" ", "")
    return spec.decide(
        at,
        ok=ok,
        subject=_subject(a),
        compared=f"考核 {CERTIFICATE_NAMES[a.certificate_type]}；职业 {a.occupation}{level}可取得 {certificate_names(others)}",
        compared_en=f"assessment {a.certificate_type}; {a.occupation}{level_en} offers {', '.join(others) or 'no other certificate'}",
        remedy=f"改为组织{certificate_names(others)}鉴定评价" if others else "",
        remedy_en=f"assess for {', '.join(others)} instead" if others else "",
        values={"certificate_type": a.certificate_type, "available": others},
    )


@rule(
    "assessment.pure_online_applicant",
    subject="assessment",
    clause="§20(4)",
    title="纯线上培训只接受企业、劳动者个人申请考核",
    title_en="Pure-online training is assessed only on application by an enterprise or the individual",
)
def pure_online_applicant(a: Assessment, at: PolicyAt, spec: RuleSpec) -> Decision | None:
    if a.mode != "online":
        return None
    ok = a.applied_by in ("enterprise", "individual")
    who = {"institution": "培训机构", "enterprise": "企业", "individual": "劳动者个人"}[
        a.applied_by
    ]
    return spec.decide(
        at,
        ok=ok,
        subject=_subject(a),
        compared=f"纯线上培训，考核申请人：{who}",
        compared_en=f"pure-online training, assessment applied for by {a.applied_by}",
        remedy="由企业或劳动者本人提出考核申请",
        remedy_en="the enterprise or the worker must apply for the assessment",
        values={"mode": a.mode, "applied_by": a.applied_by},
    )


@rule(
    "assessment.registered_ahead",
    subject="assessment",
    clause="附件2",
    title="考核时间须提前登记",
    title_en="Assessment registered ahead",
    parameters=("assessment.min_days_registered_ahead",),
)
def registered_ahead(a: Assessment, at: PolicyAt, spec: RuleSpec) -> Decision:
    need: int = at["assessment.min_days_registered_ahead"]
    days = (a.held_on - a.registered_on).days
    ok = days >= need
    op = "≥" if ok else "<"
    return spec.decide(
        at,
        ok=ok,
        subject=_subject(a),
        compared=f"{a.registered_on} 登记、{a.held_on} 考核，提前 {days} 天 {op} {need} 天",
        compared_en=f"registered {a.registered_on}, held {a.held_on}: {days} days ahead {op} {need}",
        remedy=f"考核日期改到登记日 {need} 天以后",
        remedy_en=f"hold the assessment at least {need} days after registering it",
        values={
            "registered_on": a.registered_on,
            "held_on": a.held_on,
            "days": days,
            "minimum": need,
        },
    )
