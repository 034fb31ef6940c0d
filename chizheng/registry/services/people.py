"""Real-name people: registering one (one record per ID number), editing his registry facts,
and revealing the full ID number to a role with a reason (audited). ID numbers and phones
are stored encrypted, with blind indexes and masked copies.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.db import transaction

from chizheng.accounts.access import access_by_id, require
from chizheng.accounts.models import User
from chizheng.core import audit, crypto, ids
from chizheng.core.errors import ValidationError
from chizheng.core.inputs import check_choice
from chizheng.org.models import County

from ..models import PERSON_FACTS, KeyGroup, Person
from ..selectors import id_index
from .common import _require_edit, _valid_id

PERSON_FIELDS = PERSON_FACTS


def _person_snapshot(p: Person) -> dict[str, Any]:
    def code(o: Any) -> str:
        if o is None:
            return ""
        return str(getattr(o, "code", None) or getattr(o, "credit_code", ""))

    return {
        "name": p.name,
        "id_number": p.id_masked,
        "phone": p.phone_masked,
        "county": p.county.code,
        "key_group": p.key_group,
        "employer": code(p.employer),
        "post_occupation": code(p.post_occupation),
        "former_occupation": code(p.former_occupation),
        "transferred_on": p.transferred_on,
        "school": code(p.school),
        "major_occupation": code(p.major_occupation),
        "graduation_year": p.graduation_year,
    }


def _valid_phone(raw: str) -> str:
    """The normalised mobile number, or "" for none; anything else is refused."""
    phone = ids.normalise_phone(raw)
    if phone and not ids.is_mobile(phone):
        raise ValidationError(
            "手机号码应为以1开头的11位数字",
            message_en="bad phone number",
            detail={"field": "phone"},
        )
    return phone


@transaction.atomic
def person_register(
    *,
    actor: User | None,
    name: str,
    id_number: str,
    county: County,
    phone: str = "",
    **fields: Any,
) -> Person:
    """Create a person, or return the existing one with that ID number (one record per person)."""
    number = _valid_id(id_number)
    existing = Person.objects.filter(id_index=id_index(number)).first()
    if existing:
        return existing
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"unknown person fields: {sorted(unknown)}")
    if fields.get("key_group"):
        check_choice(fields["key_group"], KeyGroup, field="key_group", label="重点群体")
    phone = _valid_phone(phone)
    person = Person.objects.create(
        name=name.strip(),
        id_number=number,
        id_index=id_index(number),
        id_masked=ids.mask(number),
        phone=phone,
        phone_index=crypto.blind_index(phone) if phone else "",
        phone_masked=ids.mask_phone(phone) if phone else "",
        birth_date=ids.birth_date(number),
        county=county,
        **fields,
    )
    audit.record(actor=actor, action="person.register", obj=person, after=_person_snapshot(person))
    return person


@transaction.atomic
def people_register(
    *, actor: User | None, county: County, people: Sequence[tuple[str, str]]
) -> list[Person]:
    """Register many people of one county at once, set-based: every ID number checked first
    (one bad number refuses the whole list), then the import's writer — one query finds those
    already registered, one bulk insert adds the rest (one record per person, as
    ``person_register``) — and one audit event for the list. ``people`` is (name, ID number)
    pairs; returns the people in the order given."""
    from ..imports.writer import apply_people

    rows: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    for name, raw in people:
        number = _valid_id(raw)
        if not name.strip():
            raise ValidationError(
                "姓名不能为空", message_en="a name is required", detail={"field": "name"}
            )
        index = id_index(number)
        order.append(index)
        rows.setdefault(
            index,
            {
                "name": name.strip(),
                "id_number": number,
                "id_index": index,
                "phone": "",
                "county": county,
                "key_group": "",
                **dict.fromkeys(
                    (
                        "employer",
                        "post_occupation",
                        "former_occupation",
                        "transferred_on",
                        "school",
                        "major_occupation",
                        "graduation_year",
                    )
                ),
            },
        )
    if not rows:
        return []
    # Existing people are returned as they are (update_existing=False never reads the actor).
    result = apply_people(actor=cast(User, actor), rows=list(rows.values()), update_existing=False)
    by_index: dict[str, int] = result["_ids"]
    found = Person.objects.in_bulk(list(by_index.values()))
    if result["created"]:
        audit.record(
            actor=actor,
            action="person.register_many",
            object_type="registry.person",
            after={"county": county.code, "created": result["created"], "given": len(rows)},
        )
    return [found[by_index[i]] for i in order]


@transaction.atomic
def person_update(*, actor: User, person_id: int, **changes: Any) -> Person:
    """Change a person's registry facts (not the ID number, which identifies him)."""
    person = access_by_id(
        actor, Person.objects.select_related("county", "employer", "school"), person_id
    )
    _require_edit(actor, person.county)
    before = _person_snapshot(person)
    for key, value in changes.items():
        if key == "name":
            person.name = str(value).strip()
        elif key == "phone":
            phone = _valid_phone(str(value or ""))
            person.phone = phone
            person.phone_index = crypto.blind_index(phone) if phone else ""
            person.phone_masked = ids.mask_phone(phone) if phone else ""
        elif key == "county":
            _require_edit(actor, value)
            person.county = value
        elif key in PERSON_FIELDS:
            if key == "key_group" and value:
                check_choice(value, KeyGroup, field="key_group", label="重点群体")
            setattr(person, key, value)
        else:
            raise ValueError(f"field {key} cannot be changed here")
    if person.former_occupation_id is None:
        person.transferred_on = None
    after = _person_snapshot(person)
    if after != before:
        person.save()
        audit.record(actor=actor, action="person.update", obj=person, before=before, after=after)
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
