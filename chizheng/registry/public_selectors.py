"""What the public site reads of the registries, without sign-in (issue 16, SPEC §2 "public:
… catalogs, blacklists"): the year's training catalog (目录清单) by institution, the filed
evaluation institutions with their occupations and levels, and the online platforms in the
catalog. Institutions only: no person, no account, no contact."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from .models import TRAINING_KINDS, CatalogEntry, EvaluationScope, Institution


def _matching(q: str, through: str) -> Q:
    """Institutions whose name, or one of whose occupations (code or name), holds ``q``."""
    return (
        Q(name__icontains=q)
        | Q(**{f"{through}__occupation__code__startswith": q})
        | Q(**{f"{through}__occupation__name__icontains": q})
    )


def training_catalog(*, year: int, q: str = "", county: str = "") -> QuerySet[Institution]:
    """Training institutions with an entry in the year's catalog, each with its entries."""
    entries = CatalogEntry.objects.filter(year=year).select_related("occupation")
    qs = Institution.objects.filter(kind__in=TRAINING_KINDS, catalog_entries__year=year)
    if q:
        qs = qs.filter(_matching(q, "catalog_entries"))
    if county:
        qs = qs.filter(county__code=county)
    return (
        qs.distinct()
        .select_related("county")
        .prefetch_related(
            Prefetch("catalog_entries", queryset=entries.order_by("occupation__code"))
        )
        .order_by("county__order", "name")
    )


def filed_evaluators(*, q: str = "", county: str = "") -> QuerySet[Institution]:
    """Evaluation institutions filed (备案) now, each with its occupations and levels."""
    qs = Institution.objects.filter(
        kind=Institution.Kind.EVALUATOR, filing_status=Institution.FilingStatus.FILED
    )
    if q:
        qs = qs.filter(_matching(q, "evaluation_scopes"))
    if county:
        qs = qs.filter(county__code=county)
    scopes = EvaluationScope.objects.select_related("occupation").order_by("occupation__code")
    return (
        qs.distinct()
        .select_related("county")
        .prefetch_related(Prefetch("evaluation_scopes", queryset=scopes))
        .order_by("county__order", "name")
    )


def catalog_platforms(*, q: str = "") -> QuerySet[Institution]:
    """Online learning platforms in the province's catalog (§21: online theory only there)."""
    qs = Institution.objects.filter(
        kind=Institution.Kind.PLATFORM, catalog_status=Institution.CatalogStatus.LISTED
    )
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.select_related("county").order_by("name")


def catalog_years() -> list[int]:
    return list(CatalogEntry.objects.order_by("-year").values_list("year", flat=True).distinct())
