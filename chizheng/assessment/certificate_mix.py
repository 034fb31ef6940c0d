"""The §19 watch on the share of special-ability plus training-pass certificates (专项职业能力证书
和培训合格证书占取证总数的比例) of an institution, its county and the city in a year: the
year's certificates counted in one aggregate query, a projection added when an assessment is
registered, each scope judged by the pure rule ``outcomes.certificate_mix``.

A share over the cap is a warning for the reviewers, never a refusal: the decisions are
stored (on the final assessment, in the claim's calculation inputs) for the pages to flag.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Sum

from chizheng.registry.models import Institution
from chizheng.rules import facts as f
from chizheng.rules.evaluate import evaluate_many

from .models import Certificate

# The two kinds the cap counts (§19), as the certificate records spell them.
CAPPED = ("special_ability", "training_pass")
SCOPES = ("city", "county", "institution")


@dataclass(frozen=True)
class Projection:
    """Certificates not yet issued that a step expects (a class's roster at registration)."""

    kind: str = ""
    count: int = 0


def _counts(institution: Institution, year: int) -> dict[str, int]:
    """The year's certificates of the city, the institution's county and the institution:
    in total and of each capped kind, in three small queries whatever the year's size. The
    totals of the city and the county are the plan's certificate tally (kept in step by every
    certificate write, ``plan.tally``; ``check-books`` verifies it); the capped kinds are read
    through their own index; the institution's through its classes."""
    from chizheng.plan.models import CertificateTally

    city_id = institution.county.city_id
    counts = dict.fromkeys(
        (f"{scope}_{what}" for scope in SCOPES for what in ("total", *CAPPED)), 0
    )
    totals = (
        CertificateTally.objects.filter(year=year, counter="all", county__city_id=city_id)
        .values_list("county_id")
        .annotate(n=Sum("count"))
    )
    for county_id, n in totals:
        counts["city_total"] += n
        if county_id == institution.county_id:
            counts["county_total"] += n
    year_of = Certificate.objects.filter(
        issued_on__gte=dt.date(year, 1, 1),
        issued_on__lte=dt.date(year, 12, 31),
        county__city_id=city_id,
    )
    capped = year_of.filter(kind__in=CAPPED).values_list("county_id", "kind")
    for county_id, kind, n in capped.annotate(n=Count("pk")):
        counts[f"city_{kind}"] += n
        if county_id == institution.county_id:
            counts[f"county_{kind}"] += n
    own = year_of.filter(training_class__institution_id=institution.pk).values_list("kind")
    for kind, n in own.annotate(n=Count("pk")):
        counts["institution_total"] += n
        if kind in CAPPED:
            counts[f"institution_{kind}"] += n
    return counts


def watch(
    institution: Institution, *, on: dt.date, projection: Projection | None = None
) -> list[dict[str, Any]]:
    """The decisions of ``outcomes.certificate_mix`` for the institution, its county and the
    city, on the certificates of ``on``'s year (plus ``projection``), as stored dicts."""
    counts = _counts(institution, on.year)
    extra = projection or Projection()
    refs = {
        "institution": institution.credit_code,
        "county": institution.county.code,
        "city": institution.county.city.code,
    }
    facts = []
    for scope, ref in refs.items():
        added = {k: extra.count if extra.kind == k else 0 for k in CAPPED}
        facts.append(
            f.CertificateCounts(
                scope=scope,  # type: ignore[arg-type]
                scope_ref=ref,
                special_ability=counts[f"{scope}_special_ability"] + added["special_ability"],
                training_pass=counts[f"{scope}_training_pass"] + added["training_pass"],
                total=counts[f"{scope}_total"] + extra.count,
            )
        )
    report = evaluate_many(facts, on=on)
    return [
        d.as_dict() | {"values": {**d.as_dict()["values"], "projected": extra.count}}
        for d in report.decisions
    ]


def over_cap(decisions: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The stored decisions whose share is over the cap."""
    return [d for d in decisions or [] if d.get("outcome") == "fail"]
