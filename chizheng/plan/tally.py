"""The certificate tally: per county × month × counter, rebuilt set-based from the certificates.

``certificate_counts`` is the one definition of the counters (a single aggregate query);
``tally_refresh`` stores its result for whole months, and the dashboard adds the live
aggregate of the current, incomplete month (see selectors.Facts). Both paths run the same
query, so a tally can always be checked against the records (``chizheng plan tally --check``).
"""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth

from chizheng.assessment.models import Certificate
from chizheng.registry.models import HIGH_SKILLED_LEVEL

from .models import CertificateTally

# (county_id, month) -> count
Counts = dict[tuple[int, int], int]

_ENTERPRISE, _SCHOOL, _SOCIAL = (
    Certificate.Channel.ENTERPRISE,
    Certificate.Channel.SCHOOL,
    Certificate.Channel.SOCIAL,
)
_HIGH = Q(skill_level__lte=HIGH_SKILLED_LEVEL)
# The counters of the one aggregate query; each certificate-based indicator reads one.
CERTIFICATE_COUNTERS: dict[str, Q] = {
    "all": Q(),
    "new_skilled": Q(first_in_year=True),
    "new_high_skilled": Q(first_high_in_year=True),
    "enterprise": Q(channel=_ENTERPRISE),
    "enterprise_high": Q(channel=_ENTERPRISE) & _HIGH,
    "school": Q(channel=_SCHOOL),
    "school_high": Q(channel=_SCHOOL) & _HIGH,
    "social": Q(channel=_SOCIAL),
    "social_high": Q(channel=_SOCIAL) & _HIGH,
    "special_pass": Q(kind__in=[Certificate.Kind.SPECIAL_ABILITY, Certificate.Kind.TRAINING_PASS]),
}


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def certificate_counts(qs: QuerySet[Certificate]) -> dict[str, Counts]:
    """Every counter by (county, month) over ``qs``, in ONE aggregate query.

    Counts ``county`` (never null) rather than ``id`` so that, on PostgreSQL, a month's
    certificates are read by an index-only scan of ``cert_issued_cover``.
    """
    rows = (
        qs.annotate(month=ExtractMonth("issued_on"))
        .values("county_id", "month")
        .annotate(
            **{
                f"n_{k}": Count("county", filter=q) if q else Count("county")
                for k, q in CERTIFICATE_COUNTERS.items()
            }
        )
        .order_by()
    )
    out: dict[str, Counts] = {k: {} for k in CERTIFICATE_COUNTERS}
    for row in rows:
        data: dict[str, Any] = dict(row)
        key = (data["county_id"], data["month"])
        for k in CERTIFICATE_COUNTERS:
            if data[f"n_{k}"]:
                out[k][key] = data[f"n_{k}"]
    return out


def _slice(keys: set[tuple[int, int]], year: int) -> Q:
    parts = []
    for county_id, month in keys:
        start, end = month_bounds(year, month)
        parts.append(Q(county_id=county_id, issued_on__gte=start, issued_on__lte=end))
    return reduce(or_, parts)


@transaction.atomic
def tally_refresh(*, year: int, keys: set[tuple[int, int]] | None = None) -> int:
    """Rebuild the tally of a year, or of the (county, month) slices in ``keys``."""
    certs = Certificate.objects.filter(
        issued_on__gte=dt.date(year, 1, 1), issued_on__lte=dt.date(year, 12, 31)
    )
    tallies = CertificateTally.objects.filter(year=year)
    if keys is not None:
        if not keys:
            return 0
        certs = certs.filter(_slice(keys, year))
        tallies = tallies.filter(reduce(or_, (Q(county_id=c, month=m) for c, m in keys)))
    tallies.delete()
    counts = certificate_counts(certs)
    rows = [
        CertificateTally(year=year, month=month, county_id=county_id, counter=counter, count=n)
        for counter, by_key in counts.items()
        for (county_id, month), n in by_key.items()
    ]
    CertificateTally.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def tally_read(qs: QuerySet[CertificateTally]) -> dict[str, Counts]:
    out: dict[str, Counts] = {k: {} for k in CERTIFICATE_COUNTERS}
    for counter, county_id, month, n in qs.values_list("counter", "county_id", "month", "count"):
        out.setdefault(counter, {})[(county_id, month)] = n
    return out


def tally_matches(*, year: int) -> bool:
    """Whether the stored tally of ``year`` is what the certificate records give."""
    live = certificate_counts(
        Certificate.objects.filter(
            issued_on__gte=dt.date(year, 1, 1), issued_on__lte=dt.date(year, 12, 31)
        )
    )
    return tally_read(CertificateTally.objects.filter(year=year)) == live
