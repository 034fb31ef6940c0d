"""Reads of the supervision cases: the cases an actor may see (filtered, searched), one case,
its evidence file, who may be assigned to it, and what a recovery may take — the paid claim
lines of the findings' classes (of the persons a finding names, when it names any)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, QuerySet

from chizheng.accounts import access, permissions
from chizheng.accounts.models import User
from chizheng.subsidy.models import ClaimLine, Disbursement, Recovery

from .models import Case, CaseFile


def case_list(
    *,
    actor: User,
    state: str = "",
    county: str = "",
    year: int | None = None,
    q: str = "",
    assignee: int | None = None,
) -> QuerySet[Case]:
    qs = access.visible(actor, Case.objects.select_related("county", "assignee"))
    if state:
        qs = qs.filter(state=state)
    if county:
        qs = qs.filter(county__code=county)
    if year:
        qs = qs.filter(year=year)
    if assignee:
        qs = qs.filter(assignee_id=assignee)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q))
    return qs.order_by("-opened_at", "-id")


def case_get(*, actor: User, case_id: int) -> Case:
    return access.access_by_id(
        actor, Case.objects.select_related("county", "assignee", "opened_by"), case_id
    )


def case_file_get(*, actor: User, file_id: int) -> CaseFile:
    return access.access_by_id(actor, CaseFile.objects.select_related("case"), file_id)


def case_years(*, actor: User) -> list[int]:
    return sorted(
        set(access.visible(actor, Case.objects.all()).values_list("year", flat=True)), reverse=True
    )


def assignees(*, case: Case) -> list[User]:
    """The active officials who may investigate the case and see it."""
    users = User.objects.filter(
        is_active=True, role__in=permissions.roles("case.investigate")
    ).order_by("username")
    return [
        u
        for u in users
        if permissions.can(u, "case.investigate", case)
        and access.visible(u, Case.objects.filter(pk=case.pk)).exists()
    ]


def recoverable_lines(*, actor: User, case: Case) -> QuerySet[ClaimLine]:
    """The payable lines of the paid claims of the case's findings' classes that the actor
    sees (a finding may name a class of another county: its lines are not this actor's to
    recover); a finding that names persons narrows its classes' lines to theirs."""
    where = Q(pk__in=[])
    for f in case.findings.all():
        if not f.classes:
            continue
        people = [s.get("id") for s in f.subjects if s.get("kind") == "person" and s.get("id")]
        part = Q(claim__training_class_id__in=f.classes)
        if people:
            part &= Q(person_id__in=people)
        where |= part
    return (
        access.visible(
            actor,
            ClaimLine.objects.filter(
                where, payable=True, amount__gt=0, claim__disbursement__isnull=False
            ),
        )
        .select_related("claim", "person")
        .order_by("claim_id", "id")
    )


def lines_recovered_elsewhere(*, case: Case, line_ids: list[int]) -> dict[int, str]:
    """Of ``line_ids``, those another case recovered already: line id → that case's number."""
    through = Case.recovered_lines.through
    rows = (
        through.objects.filter(claimline_id__in=line_ids)
        .exclude(case_id=case.pk)
        .values_list("claimline_id", "case__number")
    )
    return {int(line): str(number) for line, number in rows}


def unrecovered(*, claim_id: int) -> Decimal:
    d = Disbursement.objects.get(claim_id=claim_id)
    return d.amount - d.recovered


def recoveries_of(*, claim_id: int) -> list[Recovery]:
    return list(Recovery.objects.filter(disbursement__claim_id=claim_id))
