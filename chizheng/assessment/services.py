"""Writes to certificates (the assessment issue adds the assessment workflow around them)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import ExtractMonth

from chizheng.accounts.models import User
from chizheng.core import audit
from chizheng.core.errors import ValidationError
from chizheng.org.models import County
from chizheng.plan import services as plan_services
from chizheng.registry.models import HIGH_SKILLED_LEVEL, Institution, Person

from .models import Certificate


def _year(qs: QuerySet[Certificate], year: int) -> QuerySet[Certificate]:
    return qs.filter(issued_on__gte=dt.date(year, 1, 1), issued_on__lt=dt.date(year + 1, 1, 1))


def _first_id(year: int, *, high: bool) -> Subquery:
    """The id of the person's first certificate of the year (ties: the lower id)."""
    qs = _year(Certificate.objects.filter(person_id=OuterRef("person_id")), year)
    if high:
        qs = qs.filter(skill_level__lte=HIGH_SKILLED_LEVEL)
    return Subquery(qs.order_by("issued_on", "id").values("id")[:1])


@transaction.atomic
def certificate_flags_refresh(*, year: int, person_ids: Iterable[int] | None = None) -> int:
    """Recompute ``first_in_year`` / ``first_high_in_year`` for a year (set-based, two UPDATEs).

    Called after any write that adds, removes or re-dates certificates; ``person_ids``
    limits the work to the people concerned. Rebuilds the plan's certificate tally for the
    (county, month) slices concerned. Returns the number of certificates looked at.
    """
    qs = _year(Certificate.objects.all(), year)
    keys: set[tuple[int, int]] | None = None
    if person_ids is not None:
        qs = qs.filter(person_id__in=list(person_ids))
        keys = set(
            qs.annotate(month=ExtractMonth("issued_on"))
            .values_list("county_id", "month")
            .order_by()
            .distinct()
        )
    n = qs.update(
        first_in_year=ExpressionWrapper(Q(id=_first_id(year, high=False)), BooleanField())
    )
    qs.filter(skill_level__lte=HIGH_SKILLED_LEVEL).update(
        first_high_in_year=ExpressionWrapper(Q(id=_first_id(year, high=True)), BooleanField())
    )
    qs.exclude(skill_level__lte=HIGH_SKILLED_LEVEL).filter(first_high_in_year=True).update(
        first_high_in_year=False
    )
    plan_services.tally_certificates_changed(year=year, keys=keys)
    return n


@transaction.atomic
def certificates_bulk_record(*, certificates: Sequence[Certificate]) -> list[Certificate]:
    """Insert many certificates at once (e.g. a class's results) and keep the derived state.

    The one way to bulk-insert: ``Certificate.objects.bulk_create`` alone leaves the
    first-of-year flags and the plan's tally stale. The caller checks permissions.
    """
    created = Certificate.objects.bulk_create(certificates)
    by_year: dict[int, set[int]] = defaultdict(set)
    for cert in created:
        by_year[cert.issued_on.year].add(cert.person_id)
    for year, person_ids in sorted(by_year.items()):
        certificate_flags_refresh(year=year, person_ids=person_ids)
    return created


@transaction.atomic
def certificate_record(
    *,
    actor: User | None,
    person: Person,
    occupation_code: str,
    kind: str,
    channel: str,
    issued_on: dt.date,
    county: County,
    issuing_institution: Institution,
    skill_level: int | None = None,
) -> Certificate:
    """Record one issued certificate and keep the person's first-of-year flags right."""
    if kind not in Certificate.Kind.values:
        raise ValidationError(
            f"证书类型无效：{kind}",
            message_en=f"unknown certificate type {kind}",
            detail={"field": "kind"},
        )
    if channel not in Certificate.Channel.values:
        raise ValidationError(
            f"评价渠道无效：{channel}",
            message_en=f"unknown channel {channel}",
            detail={"field": "channel"},
        )
    if skill_level is not None and not 1 <= skill_level <= 5:
        raise ValidationError(
            "技能等级应为1至5级",
            message_en="skill level must be 1 to 5",
            detail={"field": "skill_level"},
        )
    # Serialise writers for one person so two first-of-year recomputations do not interleave.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    cert = Certificate.objects.create(
        person=person,
        occupation_code=occupation_code.strip(),
        skill_level=skill_level,
        kind=kind,
        channel=channel,
        issued_on=issued_on,
        county=county,
        issuing_institution=issuing_institution,
    )
    certificate_flags_refresh(year=issued_on.year, person_ids=[person.pk])
    audit.record(
        actor=actor,
        action="certificate.record",
        obj=cert,
        after={
            "person": person.id_masked,
            "occupation": cert.occupation_code,
            "level": skill_level,
            "kind": kind,
            "channel": channel,
            "issued_on": issued_on,
            "county": county.code,
        },
    )
    cert.refresh_from_db(fields=["first_in_year", "first_high_in_year"])
    return cert
