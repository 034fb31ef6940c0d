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

from django.db.models import Count, Q

from chizheng.registry.models import Institution
from chizheng.rules import facts as f
from chizheng.rules.evaluate import evaluate_many

from .models import Certificate

# The two kinds the cap counts (§19), as the certificate records spell them.
CAPPED = ("special_ability", "training_pass")


@dataclass(frozen=True)
class Projection:
    """Certificates not yet issued that a step expects (a class's roster at registration)."""

    kind: str = ""
    count: int = 0


def _counts(institution: Institution, year: int) -> dict[str, int]:
    county = Q(county_id=institution.county_id)
    own = Q(training_class__institution_id=institution.pk)
    scopes = {"city": Q(), "county": county, "institution": own}
    aggregates: dict[str, Any] = {}
    for name, where in scopes.items():
        aggregates[f"{name}_total"] = Count("pk", filter=where)
        for kind in CAPPED:
            aggregates[f"{name}_{kind}"] = Count("pk", filter=where & Q(kind=kind))
    return Certificate.objects.filter(
        issued_on__year=year, county__city_id=institution.county.city_id
    ).aggregate(**aggregates)


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
