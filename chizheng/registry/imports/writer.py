"""Writing checked rows, set-based (one query per batch, never one per row): people matched
by the blind index of their ID number, institutions by credit code (with the filings a city
office's file asks for), teachers with their occupations and certificates, roster entries.
Writing the same rows again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection

from chizheng.accounts.access import can, visible
from chizheng.accounts.models import User
from chizheng.core import crypto, ids
from chizheng.org.models import County

from ..models import (
    PERSON_FACTS,
    Institution,
    Person,
    Roster,
    RosterEntry,
    Teacher,
    TeacherCertificate,
)
from .bulk import BATCH, _chunks, _insert
from .checking import REPORT_EVERY, OnRows

# The person's facts as columns (a related record by its ``_id``), each with its row key.
_PERSON_SOURCE = {
    (f"{name}_id" if Person._meta.get_field(name).is_relation else name): name
    for name in PERSON_FACTS
}
PERSON_OPTIONAL = tuple(_PERSON_SOURCE)


_PERSON_INSERT = (
    "name",
    "id_number",
    "id_index",
    "id_masked",
    "phone",
    "phone_index",
    "phone_masked",
    "birth_date",
    "county",
    *PERSON_FACTS,
)


def _reporter(on_rows: OnRows | None) -> Callable[[int], None]:
    """``tick(i)``: report every REPORT_EVERY rows (rows are prepared for writing in Python
    row by row, which is most of the time an import takes)."""

    def tick(i: int) -> None:
        if on_rows is not None and i % REPORT_EVERY == 0:
            on_rows(i)

    return tick


def apply_people(
    *,
    actor: User,
    rows: list[dict[str, Any]],
    update_existing: bool,
    on_rows: OnRows | None = None,
) -> dict[str, Any]:
    """Create the people not yet registered; update changed facts of those the actor may edit.
    A blank optional cell leaves the stored value as it is. Returns counts and id_index → id."""
    compare = ("id", "id_index", "name", "phone_index", "county_id", *PERSON_OPTIONAL)
    existing: dict[str, tuple[Any, ...]] = {}
    for chunk in _chunks([r["id_index"] for r in rows]):
        for values in Person.objects.filter(id_index__in=chunk).values_list(*compare):
            existing[values[1]] = values
    # A person is visible exactly when his county is (Person.access_scope is its county's):
    # one small query instead of a join per batch.
    editable_counties: set[int] = set()
    if update_existing and existing:
        editable_counties = set(visible(actor, County.objects.all()).values_list("id", flat=True))

    encrypt = Person._meta.get_field("id_number").get_db_prep_save
    adapt_date = connection.ops.adapt_datefield_value
    new: list[tuple[Any, ...]] = []
    new_indexes: list[str] = []
    changed: list[Person] = []
    fields_changed: set[str] = set()
    phones: list[Person] = []
    out_of_scope = 0
    tick = _reporter(on_rows)
    for row_number, r in enumerate(rows, start=1):
        tick(row_number)
        phone = r["phone"]
        phone_index = crypto.blind_index(phone) if phone else ""
        found = existing.get(r["id_index"])
        if found is None:
            number = r["id_number"]
            new.append(
                (
                    r["name"],
                    encrypt(number, connection),
                    r["id_index"],
                    ids.mask(number),
                    encrypt(phone, connection) if phone else "",
                    phone_index,
                    ids.mask_phone(phone) if phone else "",
                    adapt_date(ids.birth_date(number)),
                    r["county"].pk,
                    r["key_group"],
                    r["employer"],
                    r["post_occupation"],
                    r["former_occupation"],
                    adapt_date(r["transferred_on"]),
                    r["school"],
                    r["major_occupation"],
                    r["graduation_year"],
                )
            )
            new_indexes.append(r["id_index"])
            continue
        if not update_existing:
            continue
        pk = found[0]
        if found[4] not in editable_counties:
            out_of_scope += 1
            continue
        current = dict(zip(compare, found, strict=True))
        wanted = dict(current, name=r["name"], county_id=r["county"].pk)
        for attr in PERSON_OPTIONAL:
            value = r[_PERSON_SOURCE[attr]]
            if value not in ("", None):
                wanted[attr] = value
        touched = {k.removesuffix("_id") for k in wanted if wanted[k] != current[k]}
        if touched:
            changed.append(Person(**{k: v for k, v in wanted.items() if k != "phone_index"}))
            fields_changed |= touched
        if phone and found[3] != phone_index:
            phones.append(
                Person(
                    id=pk, phone=phone, phone_index=phone_index, phone_masked=ids.mask_phone(phone)
                )
            )
    _insert(Person, _PERSON_INSERT, new)
    if changed:
        # Only the changed rows, and only the fields that changed in any of them.
        Person.objects.bulk_update(changed, sorted(fields_changed), batch_size=500)
    if phones:
        Person.objects.bulk_update(phones, ["phone", "phone_index", "phone_masked"], batch_size=500)
    ids_by_index = {index: values[0] for index, values in existing.items()}
    for chunk in _chunks(new_indexes):
        ids_by_index.update(Person.objects.filter(id_index__in=chunk).values_list("id_index", "id"))
    updated = len({p.pk for p in changed} | {p.pk for p in phones})
    return {
        "created": len(new),
        "updated": updated,
        "unchanged": len(rows) - len(new) - updated - out_of_scope,
        "not_updated_out_of_scope": out_of_scope,
        "_ids": ids_by_index,
    }


def apply_institutions(
    *, actor: User, rows: list[dict[str, Any]], on_rows: OnRows | None = None
) -> dict[str, Any]:
    existing = {
        i.credit_code: i
        for chunk in _chunks([r["credit_code"] for r in rows])
        for i in Institution.objects.filter(credit_code__in=chunk)
    }
    simple = ("name", "kind", "evaluator_kind", "address", "contact_name", "contact_phone")
    new: list[Institution] = []
    changed: list[Institution] = []
    tick = _reporter(on_rows)
    for row_number, r in enumerate(rows, start=1):
        tick(row_number)
        values = {k: r[k] for k in simple}
        values["county_id"] = r["county"].pk
        values["department_id"] = r["department"].pk if r["department"] else None
        i = existing.get(r["credit_code"])
        if i is None:
            new.append(Institution(credit_code=r["credit_code"], **values))
            continue
        diff = {k: v for k, v in values.items() if v not in ("", None) and getattr(i, k) != v}
        if diff:
            for k, v in diff.items():
                setattr(i, k, v)
            changed.append(i)
    Institution.objects.bulk_create(new, batch_size=BATCH)
    fields = [*simple, "county", "department"]
    Institution.objects.bulk_update(changed, fields, batch_size=500)
    filed, corrected = _apply_filings(actor, rows)
    return {
        "created": len(new),
        "updated": len({i.pk for i in changed} | corrected),
        "unchanged": len(rows) - len(new) - len({i.pk for i in changed} | corrected),
        "filed": filed,
    }


def _apply_filings(actor: User, rows: list[dict[str, Any]]) -> tuple[int, set[int]]:
    """The filings a city office's file asks for, each the declared decision (a transition
    row and an audit event: one per filing, and filings are few); corrections of the date or
    number of a filing on record are written as data. ``_check_filing`` let only the city
    office's rows through with a change."""
    from .. import services  # services import the selectors these imports share

    wanted = [r for r in rows if r["filed_on"] or r["filing_number"]]
    found = {
        i.credit_code: i
        for chunk in _chunks([r["credit_code"] for r in wanted])
        for i in Institution.objects.filter(credit_code__in=chunk)
    }
    filed, corrected = 0, set()
    for r in wanted:
        inst = found[r["credit_code"]]
        if inst.filing_status != Institution.FilingStatus.FILED:
            services.institution_file(
                actor=actor,
                institution_id=inst.pk,
                filed_on=r["filed_on"],
                filing_number=r["filing_number"],
                reason=f"导入第{r['_row']}行",
            )
            filed += 1
            continue
        on = r["filed_on"] or inst.filed_on
        number = r["filing_number"] or inst.filing_number
        if (on, number) != (inst.filed_on, inst.filing_number):
            inst.filed_on, inst.filing_number = on, number
            inst.save(update_fields=["filed_on", "filing_number"])
            corrected.add(inst.pk)
    return filed, corrected


def apply_teachers(
    *, actor: User, rows: list[dict[str, Any]], on_rows: OnRows | None = None
) -> dict[str, Any]:
    inst_ids = sorted({r["institution"] for r in rows})
    existing: dict[tuple[int, str], Teacher] = {}
    for chunk in _chunks(inst_ids):
        for t in Teacher.objects.filter(institution_id__in=chunk).defer("id_number"):
            existing[(t.institution_id, t.id_index)] = t
    new: list[Teacher] = []
    changed: list[Teacher] = []
    tick = _reporter(on_rows)
    for row_number, r in enumerate(rows, start=1):
        tick(row_number)
        t_found = existing.get((r["institution"], r["id_index"]))
        if t_found is None:
            new.append(
                Teacher(
                    institution_id=r["institution"],
                    name=r["name"],
                    id_number=r["id_number"],
                    id_index=r["id_index"],
                    id_masked=ids.mask(r["id_number"]),
                    full_time=r["full_time"],
                )
            )
        elif (t_found.name, t_found.full_time) != (r["name"], r["full_time"]):
            t_found.name, t_found.full_time = r["name"], r["full_time"]
            changed.append(t_found)
    Teacher.objects.bulk_create(new, batch_size=BATCH)
    Teacher.objects.bulk_update(changed, ["name", "full_time"], batch_size=500)
    teacher_ids = {
        (i, x): pk
        for chunk in _chunks(inst_ids)
        for i, x, pk in Teacher.objects.filter(institution_id__in=chunk).values_list(
            "institution_id", "id_index", "id"
        )
    }
    through = Teacher.occupations.through
    have = set(
        through.objects.filter(teacher_id__in=teacher_ids.values()).values_list(
            "teacher_id", "occupation_id"
        )
    )
    wanted = {
        (teacher_ids[(r["institution"], r["id_index"])], o) for r in rows for o in r["occupations"]
    }
    links = [through(teacher_id=t, occupation_id=o) for t, o in sorted(wanted - have)]
    through.objects.bulk_create(links, batch_size=BATCH)
    have_certs = set(
        TeacherCertificate.objects.filter(teacher_id__in=teacher_ids.values()).values_list(
            "teacher_id", "kind", "number"
        )
    )
    certs: dict[tuple[int, str, str], TeacherCertificate] = {}
    for r in rows:
        if not r["certificate_kind"]:
            continue
        key = (
            teacher_ids[(r["institution"], r["id_index"])],
            r["certificate_kind"],
            r["certificate_number"],
        )
        if key not in have_certs:
            certs[key] = TeacherCertificate(
                teacher_id=key[0],
                kind=key[1],
                number=key[2],
                occupation_id=r["certificate_occupation"],
                level=r["certificate_level"],
            )
    TeacherCertificate.objects.bulk_create(list(certs.values()), batch_size=BATCH)
    return {
        "created": len(new),
        "updated": len(changed),
        "unchanged": len(rows) - len(new) - len(changed),
        "occupations_added": len(links),
        "certificates_added": len(certs),
    }


def apply_roster(
    *,
    actor: User,
    rows: list[dict[str, Any]],
    institution: Institution,
    title: str,
    on_rows: OnRows | None = None,
) -> dict[str, Any]:
    people = apply_people(
        actor=actor, rows=rows, update_existing=can(actor, "registry.edit"), on_rows=on_rows
    )
    roster, roster_created = Roster.objects.get_or_create(institution=institution, title=title)
    have = set(RosterEntry.objects.filter(roster=roster).values_list("person_id", flat=True))
    entries = [
        RosterEntry(roster=roster, person_id=people["_ids"][r["id_index"]], row=r["_row"])
        for r in rows
        if people["_ids"][r["id_index"]] not in have
    ]
    RosterEntry.objects.bulk_create(entries, batch_size=BATCH)
    return {
        "roster": roster.pk,
        "roster_created": roster_created,
        "entries_added": len(entries),
        "people_created": people["created"],
        "people_updated": people["updated"],
    }
