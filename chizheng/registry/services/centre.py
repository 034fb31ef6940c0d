"""The conditions an enterprise training centre (企业培训中心) meets for an occupation (§20(1)):
its certified teachers, sites and workstations, counted in a few queries and judged by the
pure rule ``class.enterprise_centre``. The catalog asks it when the centre's occupation
enters the catalog, the class submission when a class is submitted.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum

from chizheng.core.errors import ValidationError
from chizheng.rules import facts as f
from chizheng.rules.decision import Decision
from chizheng.rules.evaluate import evaluate

from ..models import Institution, Occupation, Site, Teacher, Workstation


def centre_facts(institution: Institution, occupation: Occupation) -> f.TrainingCentre:
    # A teacher counts for the occupation when he teaches it, is in post, and holds at least
    # one certificate of the registry (教师资格证书, 职业资格/技能等级证书 …).
    certified = (
        Teacher.objects.filter(
            institution=institution,
            active=True,
            occupations=occupation,
            certificates__isnull=False,
        )
        .distinct()
        .count()
    )
    workstations = (
        Workstation.objects.filter(site__institution=institution, occupation=occupation).aggregate(
            n=Sum("count")
        )["n"]
        or 0
    )
    return f.TrainingCentre(
        institution=institution.credit_code,
        occupation=occupation.code,
        certified_teachers=certified,
        sites=Site.objects.filter(institution=institution).count(),
        workstations=workstations,
    )


def centre_check(institution: Institution, occupation: Occupation, on: dt.date) -> Decision | None:
    """The §20(1) decision on a centre's conditions for an occupation; None for an institution
    that is not an enterprise training centre."""
    if institution.kind != Institution.Kind.ENTERPRISE_CENTRE:
        return None
    (decision,) = evaluate(centre_facts(institution, occupation), on=on).decisions
    return decision


def ensure_centre_conditions(
    institution: Institution, occupation: Occupation, on: dt.date, *, what: str
) -> None:
    """Refuse ``what`` (纳入目录, 提交开班申请) when an enterprise training centre lacks the
    conditions of §20(1) for the occupation, naming what it lacks."""
    decision = centre_check(institution, occupation, on)
    if decision is None or not decision.failed:
        return
    raise ValidationError(
        f"企业培训中心{institution.name}不具备{occupation.name}的培训条件，不能{what}"
        f"（{decision.clause}：纳入目录管理的企业培训中心必须具备与培训相一致的师资、场地、设施）。"
        f"{decision.remedy}；现有：{decision.compared}",
        message_en=f"the enterprise training centre lacks the §20(1) conditions: {decision.remedy_en}",
        code="centre_conditions",
        detail=decision.as_dict(),
    )
