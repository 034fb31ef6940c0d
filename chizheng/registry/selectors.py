"""Reads from the registries, always scoped by the actor (reference data: any signed-in user)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from chizheng.accounts.access import access_by_id, visible
from chizheng.accounts.models import User
from chizheng.core import crypto, ids

from .models import (
    CatalogEntry,
    EvaluationScope,
    ImportJob,
    Institution,
    InstitutionTransition,
    Occupation,
    Person,
    Roster,
    RosterEntry,
    Sanction,
    Site,
    Teacher,
    Workstation,
)


def id_index(number: str) -> str:
    return crypto.blind_index(ids.normalise(number))


# --- occupations -------------------------------------------------------------------------


def occupation_list(
    *, actor: User, level: str = "", q: str = "", parent: str = ""
) -> QuerySet[Occupation]:
    qs = visible(actor, Occupation.objects.select_related("parent").filter(active=True))
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(code__startswith=_group_prefix(parent))
    if q:
        qs = qs.filter(Q(code__startswith=q.strip()) | Q(name__contains=q.strip()))
    return qs


def _group_prefix(code: str) -> str:
    """``6-18-00-00`` → ``6-18-``: the codes below a group."""
    parts = code.split("-")
    while parts and parts[-1] == "00":
        parts.pop()
    return "-".join(parts) + "-"


def occupation_by_code(*, code: str) -> Occupation | None:
    """Reference look-up (no actor needed): ``6-18-02-05`` → 机械加工材料切割工."""
    return Occupation.objects.select_related("parent").filter(code=code.strip()).first()


def occupation_get(*, actor: User, code: str) -> Occupation | None:
    """The occupation (or group) with this code: None when there is none, ``NotFound`` when
    the actor may not read the classification."""
    found = occupation_by_code(code=code)
    if found is None:
        return None
    return access_by_id(actor, Occupation.objects.select_related("parent"), found.pk)


def occupation_children(*, occupation: Occupation) -> QuerySet[Occupation]:
    """The active entries right below an occupation group."""
    return occupation.children.filter(active=True)


def occupation_path(occupation: Occupation) -> list[Occupation]:
    """The groups above an occupation, major group first."""
    chain: list[Occupation] = []
    node = occupation.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


def occupation_codes() -> dict[str, int]:
    """Active occupation (细类) codes → ids: what imports validate against."""
    return dict(
        Occupation.objects.filter(level=Occupation.Level.OCCUPATION, active=True).values_list(
            "code", "id"
        )
    )


# --- institutions ------------------------------------------------------------------------


def institution_list(*, actor: User) -> QuerySet[Institution]:
    return visible(actor, Institution.objects.select_related("county", "department"))


def platform_list(*, actor: User) -> QuerySet[Institution]:
    """The online platforms the actor sees."""
    return visible(actor, Institution.objects.filter(kind=Institution.Kind.PLATFORM))


def platform_options() -> QuerySet[Institution]:
    """Reference look-up (no actor needed): every online platform, as a class application
    may name one whatever the applicant's scope."""
    return Institution.objects.filter(kind=Institution.Kind.PLATFORM)


def filed_evaluators(*, occupation_code: str) -> QuerySet[Institution]:
    """Reference look-up (no actor needed): the filed evaluation institutions whose scope
    covers the occupation, as an assessment may name any of them."""
    return Institution.objects.filter(
        evaluation_scopes__occupation__code=occupation_code,
        filing_status=Institution.FilingStatus.FILED,
    ).select_related("county")


def institution_decisions(
    *, actor: User, institution: Institution
) -> QuerySet[InstitutionTransition]:
    """The filing and catalog decisions taken on an institution, oldest first."""
    return visible(
        actor, InstitutionTransition.objects.filter(institution=institution).select_related("actor")
    )


def institution_search(
    *,
    actor: User,
    q: str = "",
    kind: str = "",
    county: str = "",
    evaluator: bool | None = None,
) -> QuerySet[Institution]:
    qs = institution_list(actor=actor)
    if q:
        qs = qs.filter(Q(name__contains=q.strip()) | Q(credit_code__startswith=q.strip().upper()))
    if kind:
        qs = qs.filter(kind=kind)
    if county:
        qs = qs.filter(county__code=county)
    if evaluator is not None:
        qs = qs.exclude(evaluator_kind="") if evaluator else qs.filter(evaluator_kind="")
    return qs


def catalog_list(
    *,
    actor: User,
    year: int | None = None,
    q: str = "",
    county: str = "",
    institution: Institution | None = None,
) -> QuerySet[CatalogEntry]:
    qs = visible(actor, CatalogEntry.objects.select_related("institution__county", "occupation"))
    if institution is not None:
        qs = qs.filter(institution=institution)
    if year:
        qs = qs.filter(year=year)
    if county:
        qs = qs.filter(institution__county__code=county)
    if q:
        qs = qs.filter(
            Q(institution__name__contains=q)
            | Q(occupation__name__contains=q)
            | Q(occupation__code__startswith=q)
        )
    return qs


def catalog_allows(*, institution: Institution, occupation: Occupation, on: dt.date) -> bool:
    """May the institution give subsidised training in the occupation on that day (§21)?"""
    return CatalogEntry.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on),
        institution=institution,
        occupation=occupation,
        year=on.year,
        valid_from__lte=on,
    ).exists()


def evaluation_scope_list(
    *, actor: User, institution: Institution | None = None
) -> QuerySet[EvaluationScope]:
    qs = visible(actor, EvaluationScope.objects.select_related("institution", "occupation"))
    return qs.filter(institution=institution) if institution else qs


def may_assess(*, institution: Institution, occupation: Occupation, level: int) -> bool:
    """Is the institution a filed evaluator for that occupation and level?"""
    if not institution.is_filed_evaluator:
        return False
    scope = EvaluationScope.objects.filter(institution=institution, occupation=occupation).first()
    return scope is not None and level in scope.levels


def teacher_list(
    *,
    actor: User,
    q: str = "",
    institution_id: int | None = None,
    full_time: bool | None = None,
    county: str = "",
) -> QuerySet[Teacher]:
    qs = visible(actor, Teacher.objects.select_related("institution__county").defer("id_number"))
    if institution_id:
        qs = qs.filter(institution_id=institution_id)
    if full_time is not None:
        qs = qs.filter(full_time=full_time)
    if county:
        qs = qs.filter(institution__county__code=county)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(institution__name__contains=q))
    return qs


def teacher_records(*, teacher: Teacher) -> dict[str, Any]:
    """The teacher page's records of a teacher the actor reached through ``teacher_list``."""
    return {
        "occupations": teacher.occupations.all(),
        "certificates": teacher.certificates.select_related("occupation"),
    }


def full_time_teachers(*, institution: Institution, occupation: Occupation) -> int:
    """Full-time teachers of the occupation (§20(1): apprentices ≤ 20 × this number)."""
    return Teacher.objects.filter(
        institution=institution, occupations=occupation, full_time=True, active=True
    ).count()


def site_list(
    *, actor: User, q: str = "", institution_id: int | None = None, county: str = ""
) -> QuerySet[Site]:
    qs = visible(actor, Site.objects.select_related("institution__county"))
    if institution_id:
        qs = qs.filter(institution_id=institution_id)
    if county:
        qs = qs.filter(institution__county__code=county)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(institution__name__contains=q))
    return qs


def site_workstations(*, site: Site) -> QuerySet[Workstation]:
    """The workstations of a site the actor reached through ``site_list``."""
    return site.workstations.select_related("occupation")


def workstations(*, institution: Institution, occupation: Occupation) -> int:
    """Workstations of the occupation over all the institution's sites (§20(1) ratio)."""
    from django.db.models import Sum

    total = Site.objects.filter(
        institution=institution, workstations__occupation=occupation
    ).aggregate(n=Sum("workstations__count"))["n"]
    return int(total or 0)


# --- people ------------------------------------------------------------------------------


def person_list(*, actor: User) -> QuerySet[Person]:
    return visible(actor, Person.objects.select_related("county").defer("id_number", "phone"))


def person_search(
    *,
    actor: User,
    q: str = "",
    county: str = "",
    key_group: str = "",
    student: bool | None = None,
) -> QuerySet[Person]:
    qs = person_list(actor=actor).select_related("employer", "post_occupation")
    if q:
        q = q.strip()
        if ids.is_valid(q):
            qs = qs.filter(id_index=id_index(q))
        elif ids.is_mobile(ids.normalise_phone(q)):
            qs = qs.filter(phone_index=crypto.blind_index(ids.normalise_phone(q)))
        else:
            qs = qs.filter(name__contains=q)
    if county:
        qs = qs.filter(county__code=county)
    if key_group:
        qs = qs.filter(key_group=key_group)
    if student is not None:
        qs = qs.filter(school__isnull=not student)
    return qs


def person_visible(*, actor: User, person_id: int) -> bool:
    """Whether the actor sees the person (one he registered may live in another county)."""
    return person_list(actor=actor).filter(pk=person_id).exists()


def person_by_id_number(*, actor: User, id_number: str) -> Person | None:
    return person_list(actor=actor).filter(id_index=id_index(id_number)).first()


# --- sanctions ---------------------------------------------------------------------------


def _in_force(on: dt.date) -> Q:
    return (
        Q(starts_on__lte=on)
        & (Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        & (Q(lifted_on__isnull=True) | Q(lifted_on__gt=on))
    )


def active_sanctions(*, party: Institution, on: dt.date) -> list[Sanction]:
    """The sanctions on ``party`` in force on ``on`` (a system check: no actor)."""
    return list(Sanction.objects.filter(_in_force(on), institution=party).order_by("starts_on"))


def sanction_list(
    *,
    actor: User,
    kind: str = "",
    active_on: dt.date | None = None,
    q: str = "",
    county: str = "",
    institution: Institution | None = None,
) -> QuerySet[Sanction]:
    qs = visible(actor, Sanction.objects.select_related("institution__county"))
    if institution is not None:
        qs = qs.filter(institution=institution)
    if kind:
        qs = qs.filter(kind=kind)
    if active_on:
        qs = qs.filter(_in_force(active_on))
    if county:
        qs = qs.filter(institution__county__code=county)
    if q:
        qs = qs.filter(institution__name__contains=q)
    return qs


def public_blacklist(*, on: dt.date) -> list[dict[str, Any]]:
    """The blacklist in force, for the public page: institutions only, no personal data."""
    rows = Sanction.objects.filter(_in_force(on), kind=Sanction.Kind.BLACKLIST).select_related(
        "institution__county"
    )
    return [
        {
            "name": s.institution.name,
            "credit_code": s.institution.credit_code,
            "county": s.institution.county.name,
            "starts_on": s.starts_on,
            "clause": s.clause,
            "reason": s.reason,
        }
        for s in rows
    ]


# --- rosters, imports --------------------------------------------------------------------


def roster_list(*, actor: User) -> QuerySet[Roster]:
    return visible(actor, Roster.objects.select_related("institution"))


def roster_entries(*, roster: Roster) -> QuerySet[RosterEntry]:
    """The people of a roster the actor reached through ``roster_list``, in file order."""
    return roster.entries.select_related("person__county").order_by("row")


def import_job_for(*, actor: User, job_id: int) -> ImportJob:
    """An import job of the actor's own (others' jobs are "not found")."""
    return access_by_id(actor, ImportJob.objects.filter(created_by=actor), job_id)
