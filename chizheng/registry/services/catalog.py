"""The year's catalog (目录清单): the occupations an institution may give subsidised training
in, each from its date (§21), and ending an entry. An enterprise training centre enters only
with the conditions of §20(1) for the occupation (``centre``).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from chizheng.accounts.access import access_by_id
from chizheng.accounts.models import User
from chizheng.core import audit
from chizheng.core.errors import ValidationError
from chizheng.core.inputs import check_choice

from ..models import CatalogEntry
from .centre import ensure_centre_conditions
from .common import _editable_institution, _require_edit
from .occupations import occupation_for_code


@transaction.atomic
def catalog_add(
    *,
    actor: User,
    institution_id: int,
    year: int,
    occupation_code: str,
    valid_from: dt.date,
    source: str = CatalogEntry.Source.ANNUAL,
    note: str = "",
) -> CatalogEntry:
    """Put an occupation of an institution in the year's catalog from ``valid_from``."""
    check_choice(source, CatalogEntry.Source, field="source", label="纳入方式")
    inst = _editable_institution(actor, institution_id)
    occupation = occupation_for_code(occupation_code)
    if valid_from.year != year:
        raise ValidationError(
            "起始日期应在目录年度内",
            message_en="valid_from must be in the year",
            detail={"field": "valid_from"},
        )
    ensure_centre_conditions(inst, occupation, valid_from, what="纳入目录清单")
    entry, created = CatalogEntry.objects.get_or_create(
        year=year,
        institution=inst,
        occupation=occupation,
        defaults={"valid_from": valid_from, "source": source, "note": note},
    )
    if not created:
        raise ValidationError(
            f"{year}年目录清单已有该机构的{occupation.name}",
            message_en="already in the catalog",
            code="duplicate",
        )
    audit.record(
        actor=actor,
        action="catalog.add",
        obj=entry,
        after={
            "year": year,
            "institution": inst.credit_code,
            "occupation": occupation.code,
            "valid_from": valid_from,
            "source": source,
        },
    )
    return entry


@transaction.atomic
def catalog_end(*, actor: User, entry_id: int, valid_until: dt.date, reason: str) -> CatalogEntry:
    entry = access_by_id(
        actor, CatalogEntry.objects.select_related("institution__county"), entry_id
    )
    _require_edit(actor, entry.institution.county)
    if valid_until < entry.valid_from:
        raise ValidationError("截止日期早于起始日期", message_en="ends before it starts")
    before = entry.valid_until
    entry.valid_until = valid_until
    entry.save(update_fields=["valid_until"])
    audit.record(
        actor=actor,
        action="catalog.end",
        obj=entry,
        before={"valid_until": before},
        after={"valid_until": valid_until},
        reason=reason,
    )
    return entry
