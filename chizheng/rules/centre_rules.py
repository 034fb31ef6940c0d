"""Rules on an enterprise training centre (企业培训中心) in the catalog (§20(1): 纳入目录管理的
企业培训中心，必须具备与培训相一致的师资（具备相应数量的教师资格证）、场地、设施等基本条件):
teachers of the occupation holding qualification certificates, sites, and workstations for the
occupation, each at least the policy's minimum.

Pure Python.
"""

from __future__ import annotations

from .decision import Decision, RuleSpec, rule
from .facts import TrainingCentre
from .params import PolicyAt


@rule(
    "class.enterprise_centre",
    subject="centre",
    clause="§20(1)",
    title="企业培训中心的师资、场地、设施条件",
    title_en="An enterprise training centre's teachers, sites and facilities",
    parameters=(
        "centre.min_certified_teachers",
        "centre.min_sites",
        "centre.min_workstations",
    ),
)
def conditions(c: TrainingCentre, at: PolicyAt, spec: RuleSpec) -> Decision:
    need = {
        "certified_teachers": int(at["centre.min_certified_teachers"]),
        "sites": int(at["centre.min_sites"]),
        "workstations": int(at["centre.min_workstations"]),
    }
    have = {
        "certified_teachers": c.certified_teachers,
        "sites": c.sites,
        "workstations": c.workstations,
    }
    names = {
        "certified_teachers": (
            "持有资格证书的该职业教师",
            "名",
            "teachers of the occupation with a qualification certificate",
        ),
        "sites": ("培训场地", "个", "sites"),
        "workstations": ("该职业工位", "个", "workstations for the occupation"),
    }
    short = [k for k in need if have[k] < need[k]]
    compared = "；".join(
        f"{names[k][0]} {have[k]}{names[k][1]} {'≥' if have[k] >= need[k] else '<'} {need[k]}"
        for k in need
    )
    compared_en = "; ".join(
        f"{names[k][2]} {have[k]} {'≥' if have[k] >= need[k] else '<'} {need[k]}" for k in need
    )
    return spec.decide(
        at,
        ok=not short,
        subject=f"institution {c.institution} occupation {c.occupation}",
        compared=compared,
        compared_en=compared_en,
        remedy="缺少：" + "、".join(f"{names[k][0]}（至少{need[k]}{names[k][1]}）" for k in short)
        if short
        else "",
        remedy_en="missing: " + ", ".join(f"{names[k][2]} (at least {need[k]})" for k in short)
        if short
        else "",
        values={
            **{k: have[k] for k in need},
            **{f"min_{k}": need[k] for k in need},
            "missing": short,
        },
    )
