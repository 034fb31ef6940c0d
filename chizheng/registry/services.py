"""Writes to the registries."""

from __future__ import annotations

from django.db import transaction

from chizheng.accounts.access import access_by_id, require
from chizheng.accounts.models import User
from chizheng.core import audit, crypto, ids
from chizheng.core.errors import ValidationError
from chizheng.org.models import County

from .models import Person


def id_index(number: str) -> str:
    return crypto.blind_index(ids.normalise(number))


def _valid_id(number: str) -> str:
    result = ids.check(number)
    if not result.valid:
        raise ValidationError(
            f"身份证号码无效：{result.reason}",
            message_en=f"invalid ID number: {result.reason_en}",
            detail={"field": "id_number", "reason": result.reason},
        )
    return result.number


@transaction.atomic
def person_register(
    *, actor: User | None, name: str, id_number: str, county: County, phone: str = ""
) -> Person:
    """Create a person, or return the existing one with that ID number (one record per person)."""
    number = _valid_id(id_number)
    existing = Person.objects.filter(id_index=id_index(number)).first()
    if existing:
        return existing
    person = Person.objects.create(
        name=name.strip(),
        id_number=number,
        id_index=id_index(number),
        id_masked=ids.mask(number),
        phone=phone.strip(),
        phone_index=crypto.blind_index(phone.strip()) if phone else "",
        phone_masked=ids.mask_phone(phone) if phone else "",
        birth_date=ids.birth_date(number),
        county=county,
    )
    audit.record(
        actor=actor,
        action="person.register",
        obj=person,
        after={"name": person.name, "id_number": person.id_masked, "county": county.code},
    )
    return person


def person_reveal_id_number(*, actor: User, person_id: int, reason: str) -> str:
    """The full ID number, for a role with a reason; the reveal is written to the audit log."""
    require(actor, "person.reveal")
    if not reason.strip():
        raise ValidationError(
            "请填写查看完整身份证号码的事由",
            message_en="a reason is required",
            detail={"field": "reason"},
        )
    person = access_by_id(actor, Person.objects.all(), person_id)
    audit.record(actor=actor, action="person.reveal_id_number", obj=person, reason=reason.strip())
    return person.id_number
