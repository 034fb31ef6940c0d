"""Writes to the registries. Every change is checked against the actor's role and scope and
written to the audit log; personal data in the log is masked."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction

from chizheng.accounts.access import access_by_id, can, require
from chizheng.accounts.models import ScopeKind, User
from chizheng.core import audit, clock, crypto, ids
from chizheng.core.errors import DomainError, PermissionDenied, ValidationError
from chizheng.core.inputs import LONG_TEXT, check_choice, check_text, full_clean
from chizheng.org.models import County, Department
from chizheng.rules import params
from chizheng.rules.decision import add_months

from . import workflow
from .models import (
    CatalogEntry,
    EvaluationScope,
    Institution,
    KeyGroup,
    Occupation,
    Person,
    Sanction,
    Site,
    SkillLevel,
    Teacher,
    TeacherCertificate,
    Workstation,
)
from .selectors import active_sanctions, id_index

if TYPE_CHECKING:
    from chizheng.jobs.models import Job

OCCUPATIONS_FILE = Path(__file__).parent / "data" / "occupations-2022.csv"


__all__ = ["active_sanctions", "id_index"]  # re-exported: callers check and match through services


def _valid_id(number: str) -> str:
    result = ids.check(number)
    if not result.valid:
        raise ValidationError(
            f"身份证号码无效：{result.reason}",
            message_en=f"invalid ID number: {result.reason_en}",
            detail={"field": "id_number", "reason": result.reason},
        )
    return result.number


# --- occupations -------------------------------------------------------------------------


@dataclass(frozen=True)
class OccupationLoad:
    created: int
    updated: int
    deactivated: int
    total: int


@transaction.atomic
def load_occupations(*, path: Path = OCCUPATIONS_FILE, actor: User | None = None) -> OccupationLoad:
    """Load the classification file; idempotent (a second run changes nothing). Codes no longer
    in the file are marked inactive, never deleted: records refer to them."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    by_code = {o.code: o for o in Occupation.objects.all()}
    created: list[Occupation] = []
    # Level by level, so that every new row is inserted with its parent already known.
    for level in Occupation.Level.values:
        batch = [
            Occupation(
                code=r["code"],
                name=r["name"],
                level=r["level"],
                parent_id=by_code[r["parent"]].pk if r["parent"] in by_code else None,
            )
            for r in rows
            if r["level"] == level and r["code"] not in by_code
        ]
        Occupation.objects.bulk_create(batch, batch_size=1000)
        created += batch
        by_code.update(
            {o.code: o for o in Occupation.objects.filter(code__in=[o.code for o in batch])}
        )
    created_codes = {o.code for o in created}
    changed: list[Occupation] = []
    for r in rows:
        o = by_code[r["code"]]
        parent_id = by_code[r["parent"]].pk if r["parent"] else None
        if (o.name, o.level, o.parent_id, o.active) != (r["name"], r["level"], parent_id, True):
            o.name, o.level, o.parent_id, o.active = r["name"], r["level"], parent_id, True
            changed.append(o)
    Occupation.objects.bulk_update(changed, ["name", "level", "parent", "active"], batch_size=1000)
    gone = set(by_code) - {r["code"] for r in rows}
    deactivated = Occupation.objects.filter(code__in=gone, active=True).update(active=False)
    result = OccupationLoad(
        created=len(created),
        updated=len([o for o in changed if o.code not in created_codes]),
        deactivated=deactivated,
        total=len(rows),
    )
    if result.created or result.updated or result.deactivated:
        audit.record(
            actor=actor,
            action="occupation.load",
            object_type="registry.occupation",
            after={"file": path.name, **result.__dict__},
        )
    return result


def occupation_for_code(code: str) -> Occupation:
    """The active occupation (细类) with that code; the list, not a pattern, decides."""
    found = Occupation.objects.filter(
        code=code.strip(), level=Occupation.Level.OCCUPATION, active=True
    ).first()
    if found is None:
        raise ValidationError(
            f"职业编码 {code.strip()} 不在2022年版职业分类大典的职业（细类）中",
            message_en=f"{code.strip()} is not an occupation of the 2022 classification",
            code="occupation_unknown",
            detail={"field": "occupation", "code": code},
        )
    return found


# --- institutions ------------------------------------------------------------------------


def require_registry_edit(*, actor: User, county: County) -> None:
    """registry.edit, and a county user only in his own county."""
    require(actor, "registry.edit")
    if actor.scope_kind == ScopeKind.COUNTY and county.pk != actor.county_id:
        raise PermissionDenied(
            "只能登记本县（市、区）的记录",
            message_en="only records of your own county",
            detail={"county": county.code},
        )


def _require_edit(actor: User, county: County) -> None:
    require_registry_edit(actor=actor, county=county)


def _editable_institution(actor: User, institution_id: int) -> Institution:
    inst = access_by_id(actor, Institution.objects.select_related("county"), institution_id)
    _require_edit(actor, inst.county)
    return inst


INSTITUTION_FIELDS = (
    "name",
    "kind",
    "address",
    "contact_name",
    "contact_phone",
    "evaluator_kind",
)
# Set only by the city office's decisions (``institution_file`` … ``platform_remove``), each
# a declared transition: never by the edit form, the API or an import of a county user.
DECISION_FIELDS = ("filing_status", "filed_on", "filing_number", "catalog_status", "catalog_since")


def _refuse_decision_fields(fields: Iterable[str]) -> None:
    reached = sorted(set(fields) & set(DECISION_FIELDS))
    if reached:
        raise ValidationError(
            "备案状态和目录状态只能由市人社局（领导小组办公室）在机构页面作出决定后变更",
            message_en=f"{', '.join(reached)} change only through the city office's decisions",
            code="status_by_decision",
            detail={"fields": reached},
        )


def _institution_snapshot(i: Institution) -> dict[str, Any]:
    snap: dict[str, Any] = {f: getattr(i, f) for f in (*INSTITUTION_FIELDS, *DECISION_FIELDS)}
    snap.update(
        credit_code=i.credit_code,
        county=i.county.code,
        department=i.department.code if i.department else "",
    )
    return snap


def _check_credit_code(code: str) -> str:
    code = code.strip().upper()
    if len(code) != 18 or not code.isalnum():
        raise ValidationError(
            "统一社会信用代码应为18位字母或数字",
            message_en="credit code must be 18 letters or digits",
            detail={"field": "credit_code"},
        )
    return code


def _check_institution_choices(values: dict[str, Any]) -> None:
    if "kind" in values:
        check_choice(values["kind"], Institution.Kind, field="kind", label="机构类型")
    if values.get("evaluator_kind"):
        check_choice(
            values["evaluator_kind"],
            Institution.EvaluatorKind,
            field="evaluator_kind",
            label="评价机构类别",
        )


@transaction.atomic
def institution_create(
    *,
    actor: User,
    name: str,
    credit_code: str,
    kind: str,
    county: County,
    department: Department | None = None,
    **fields: Any,
) -> Institution:
    _require_edit(actor, county)
    code = _check_credit_code(credit_code)
    if Institution.objects.filter(credit_code=code).exists():
        raise ValidationError(
            f"统一社会信用代码 {code} 已登记",
            message_en="credit code already registered",
            code="duplicate",
            detail={"field": "credit_code"},
        )
    _refuse_decision_fields(fields)
    unknown = set(fields) - set(INSTITUTION_FIELDS)
    if unknown:
        raise ValueError(f"unknown institution fields: {sorted(unknown)}")
    _check_institution_choices({"kind": kind, **fields})
    inst = Institution(
        name=name.strip(),
        credit_code=code,
        kind=kind,
        county=county,
        department=department,
        **fields,
    )
    full_clean(inst)
    inst.save()
    audit.record(
        actor=actor, action="institution.create", obj=inst, after=_institution_snapshot(inst)
    )
    return inst


@transaction.atomic
def institution_update(*, actor: User, institution_id: int, **changes: Any) -> Institution:
    _refuse_decision_fields(changes)
    inst = _editable_institution(actor, institution_id)
    before = _institution_snapshot(inst)
    for key, value in changes.items():
        if key == "department":
            inst.department = value
        elif key in INSTITUTION_FIELDS:
            setattr(inst, key, value)
        else:
            raise ValueError(f"field {key} cannot be changed here")
    _check_institution_choices(changes)
    full_clean(inst)
    after = _institution_snapshot(inst)
    if after != before:
        inst.save()
        audit.record(actor=actor, action="institution.update", obj=inst, before=before, after=after)
    return inst


# --- the city office's decisions: filing and the platform catalog ---------------------------


def _decided_institution(actor: User, institution_id: int) -> Institution:
    return access_by_id(
        actor, Institution.objects.select_related("county").select_for_update(), institution_id
    )


def _reason(reason: str, *, required: bool) -> str:
    text = reason.strip()
    if required and not text:
        raise ValidationError(
            "请填写决定的理由", message_en="a reason is required", detail={"field": "reason"}
        )
    return text


@transaction.atomic
def institution_file(
    *,
    actor: User,
    institution_id: int,
    filed_on: dt.date,
    filing_number: str = "",
    reason: str = "",
) -> Institution:
    """File an evaluation institution (评价机构备案), or file it again after a revocation."""
    inst = _decided_institution(actor, institution_id)
    if not inst.evaluator_kind:
        raise ValidationError(
            "该机构不是评价机构，请先登记评价机构类别",
            message_en="not an evaluation institution",
            code="not_evaluator",
        )
    number = filing_number.strip()
    if len(number) > Institution._meta.get_field("filing_number").max_length:  # type: ignore[operator]
        raise ValidationError("备案编号过长", detail={"field": "filing_number"})
    inst.filed_on, inst.filing_number = filed_on, number
    why = "；".join(
        x for x in (f"备案日期 {filed_on}", number and f"备案编号 {number}", reason.strip()) if x
    )
    workflow.FILING.fire(inst, "file", actor=actor, reason=why)
    inst.save(update_fields=["filed_on", "filing_number"])
    return inst


@transaction.atomic
def institution_revoke_filing(*, actor: User, institution_id: int, reason: str) -> Institution:
    """Revoke a filing (撤销备案): the institution may no longer assess (``is_filed_evaluator``)."""
    inst = _decided_institution(actor, institution_id)
    return workflow.FILING.fire(
        inst, "revoke_filing", actor=actor, reason=_reason(reason, required=True)
    )


def _platform(actor: User, institution_id: int) -> Institution:
    inst = _decided_institution(actor, institution_id)
    if inst.kind != Institution.Kind.PLATFORM:
        raise ValidationError(
            "目录清单决定只适用于线上平台", message_en="platforms only", code="not_platform"
        )
    return inst


@transaction.atomic
def platform_list(
    *, actor: User, institution_id: int, since: dt.date, reason: str = ""
) -> Institution:
    """Put a platform in the catalog (纳入省目录清单) from ``since`` (§20(3))."""
    inst = _platform(actor, institution_id)
    inst.catalog_since = since
    why = "；".join(x for x in (f"纳入日期 {since}", reason.strip()) if x)
    workflow.CATALOG.fire(inst, "catalog_list", actor=actor, reason=why)
    inst.save(update_fields=["catalog_since"])
    return inst


@transaction.atomic
def platform_remove(*, actor: User, institution_id: int, reason: str) -> Institution:
    """Take a platform out of the catalog (移出目录清单): no new online classes on it."""
    inst = _platform(actor, institution_id)
    return workflow.CATALOG.fire(
        inst, "catalog_remove", actor=actor, reason=_reason(reason, required=True)
    )


@transaction.atomic
def evaluation_scope_set(
    *, actor: User, institution_id: int, occupation_code: str, levels: Iterable[int]
) -> EvaluationScope:
    """The levels of one occupation a filed evaluation institution may assess (empty removes)."""
    inst = _editable_institution(actor, institution_id)
    if not inst.evaluator_kind:
        raise ValidationError(
            "该机构不是评价机构", message_en="not an evaluation institution", code="not_evaluator"
        )
    occupation = occupation_for_code(occupation_code)
    wanted = sorted({int(x) for x in levels}, reverse=True)
    if any(x not in SkillLevel.values for x in wanted):
        raise ValidationError(
            "技能等级应为1至5级", message_en="levels are 1 to 5", detail={"field": "levels"}
        )
    scope, _ = EvaluationScope.objects.get_or_create(
        institution=inst, occupation=occupation, defaults={"levels": wanted}
    )
    before = scope.levels
    scope.levels = wanted
    scope.save(update_fields=["levels"])
    audit.record(
        actor=actor,
        action="institution.evaluation_scope",
        obj=inst,
        before={"occupation": occupation.code, "levels": before},
        after={"occupation": occupation.code, "levels": wanted},
    )
    return scope


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


# --- teachers, sites ---------------------------------------------------------------------


@transaction.atomic
def teacher_add(
    *,
    actor: User,
    institution_id: int,
    name: str,
    id_number: str,
    full_time: bool,
    occupation_codes: Iterable[str] = (),
    certificates: Iterable[dict[str, Any]] = (),
) -> Teacher:
    inst = _editable_institution(actor, institution_id)
    number = _valid_id(id_number)
    occupations = [occupation_for_code(c) for c in occupation_codes]
    teacher, created = Teacher.objects.get_or_create(
        institution=inst,
        id_index=id_index(number),
        defaults={
            "name": name.strip(),
            "id_number": number,
            "id_masked": ids.mask(number),
            "full_time": full_time,
        },
    )
    if not created:
        raise ValidationError(
            "该机构已登记此教师", message_en="teacher already registered", code="duplicate"
        )
    teacher.occupations.set(occupations)
    certificates = list(certificates)
    for c in certificates:
        check_choice(c.get("kind"), TeacherCertificate.Kind, field="kind", label="师资证书类型")
        if c.get("level") is not None:
            check_choice(c["level"], SkillLevel, field="level", label="等级")
    for c in certificates:
        occ = occupation_for_code(c["occupation"]) if c.get("occupation") else None
        TeacherCertificate.objects.create(
            teacher=teacher,
            kind=c["kind"],
            number=c["number"],
            occupation=occ,
            level=c.get("level"),
        )
    audit.record(
        actor=actor,
        action="teacher.add",
        obj=teacher,
        after={
            "institution": inst.credit_code,
            "name": teacher.name,
            "id_number": teacher.id_masked,
            "full_time": full_time,
            "occupations": [o.code for o in occupations],
        },
    )
    return teacher


@transaction.atomic
def site_add(
    *, actor: User, institution_id: int, name: str, address: str = "", area_m2: int | None = None
) -> Site:
    inst = _editable_institution(actor, institution_id)
    site, created = Site.objects.get_or_create(
        institution=inst, name=name.strip(), defaults={"address": address, "area_m2": area_m2}
    )
    if not created:
        raise ValidationError("该机构已有同名场地", message_en="site exists", code="duplicate")
    audit.record(
        actor=actor,
        action="site.add",
        obj=site,
        after={"institution": inst.credit_code, "name": site.name, "address": address},
    )
    return site


@transaction.atomic
def workstation_set(
    *, actor: User, site_id: int, occupation_code: str, count: int
) -> Workstation | None:
    """Set the workstation count of a site for one occupation; 0 removes it."""
    site = access_by_id(actor, Site.objects.select_related("institution__county"), site_id)
    _require_edit(actor, site.institution.county)
    occupation = occupation_for_code(occupation_code)
    if count < 0:
        raise ValidationError("工位数不能为负数", message_en="count must not be negative")
    current = Workstation.objects.filter(site=site, occupation=occupation).first()
    before = current.count if current else 0
    if count == 0:
        if current:
            current.delete()
        result = None
    elif current:
        current.count = count
        current.save(update_fields=["count"])
        result = current
    else:
        result = Workstation.objects.create(site=site, occupation=occupation, count=count)
    if before != count:
        audit.record(
            actor=actor,
            action="site.workstations",
            obj=site,
            before={"occupation": occupation.code, "count": before},
            after={"occupation": occupation.code, "count": count},
        )
    return result


# --- people ------------------------------------------------------------------------------

PERSON_FIELDS = (
    "key_group",
    "employer",
    "post_occupation",
    "former_occupation",
    "transferred_on",
    "school",
    "major_occupation",
    "graduation_year",
)


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


def institution_by_credit_code(credit_code: str, *, schools_only: bool = False) -> Institution:
    """A registered institution by its credit code (for references such as a person's employer)."""
    found = Institution.objects.filter(credit_code=credit_code.strip().upper()).first()
    if found is None or (schools_only and not found.is_school):
        raise ValidationError(
            f"统一社会信用代码为{credit_code}的{'院校' if schools_only else '机构'}未登记",
            message_en="no such institution",
            code="institution_unknown",
            detail={"credit_code": credit_code},
        )
    return found


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


# --- sanctions ---------------------------------------------------------------------------


def _sanction(
    *,
    actor: User,
    institution_id: int,
    kind: str,
    clause: str,
    reason: str,
    starts_on: dt.date,
    ends_on: dt.date | None,
) -> Sanction:
    require(actor, "sanction.edit")
    check_choice(kind, Sanction.Kind, field="kind", label="处理类型")
    check_text(reason, field="reason", label="事由", max_length=LONG_TEXT, multiline=True)
    inst = access_by_id(actor, Institution.objects.all(), institution_id)
    if not reason.strip():
        raise ValidationError(
            "请填写处理事由", message_en="a reason is required", detail={"field": "reason"}
        )
    s = Sanction.objects.create(
        institution=inst,
        kind=kind,
        clause=clause,
        reason=reason.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action=f"sanction.{kind}",
        obj=s,
        reason=reason.strip(),
        after={
            "institution": inst.credit_code,
            "kind": kind,
            "clause": clause,
            "starts_on": starts_on,
            "ends_on": ends_on,
        },
    )
    return s


@transaction.atomic
def sanction_suspend(
    *, actor: User, institution_id: int, starts_on: dt.date, reason: str
) -> Sanction:
    """§19: satisfaction below the threshold — no new classes, rectification for the period of
    ``outcomes.rectification_months`` (ends on the same day of the month after)."""
    months = params.current().value("outcomes.rectification_months", starts_on)
    clause = params.current().version("outcomes.rectification_months", starts_on).clause
    return _sanction(
        actor=actor,
        institution_id=institution_id,
        kind=Sanction.Kind.SUSPENSION,
        clause=clause,
        reason=reason,
        starts_on=starts_on,
        ends_on=add_months(starts_on, months),
    )


@transaction.atomic
def sanction_suspend_automatic(
    *, institution: Institution, starts_on: dt.date, reason: str, actor: User | None
) -> Sanction:
    """§19, applied by the system when a class's satisfaction survey closes below the
    threshold (no sanction.edit permission needed: the rule, not a person, decides)."""
    months = params.current().value("outcomes.rectification_months", starts_on)
    clause = params.current().version("outcomes.rectification_months", starts_on).clause
    s = Sanction.objects.create(
        institution=institution,
        kind=Sanction.Kind.SUSPENSION,
        clause=clause,
        reason=reason,
        starts_on=starts_on,
        ends_on=add_months(starts_on, months),
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="sanction.suspension",
        obj=s,
        reason=reason,
        after={
            "institution": institution.credit_code,
            "starts_on": starts_on,
            "ends_on": s.ends_on,
        },
    )
    return s


@transaction.atomic
def sanction_blacklist(
    *,
    actor: User,
    institution_id: int,
    starts_on: dt.date,
    reason: str,
    ends_on: dt.date | None = None,
) -> Sanction:
    """§20(4): blacklist for serious problems; open-ended unless an end is set, left by a
    dynamic exit (``sanction_lift``)."""
    if ends_on is not None and ends_on <= starts_on:
        raise ValidationError("到期日期应晚于起始日期", message_en="must end after it starts")
    return _sanction(
        actor=actor,
        institution_id=institution_id,
        kind=Sanction.Kind.BLACKLIST,
        clause="§20(4)",
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
    )


@transaction.atomic
def sanction_platform_ban(
    *, actor: User, institution_id: int, violated_on: dt.date, reason: str
) -> Sanction:
    """§20(3): a platform that broke the rules is barred from subsidised training for
    ``online.platform_ban_years`` from the day of the violation."""
    inst = access_by_id(actor, Institution.objects.all(), institution_id)
    if inst.kind != Institution.Kind.PLATFORM:
        raise ValidationError(
            "平台禁入只适用于线上平台",
            message_en="only platforms can be banned",
            code="not_platform",
        )
    years = params.current().value("online.platform_ban_years", violated_on)
    clause = params.current().version("online.platform_ban_years", violated_on).clause
    return _sanction(
        actor=actor,
        institution_id=institution_id,
        kind=Sanction.Kind.PLATFORM_BAN,
        clause=clause,
        reason=reason,
        starts_on=violated_on,
        ends_on=add_months(violated_on, 12 * years),
    )


def sanction_create(
    *,
    actor: User,
    institution_id: int,
    kind: str,
    starts_on: dt.date,
    reason: str,
    ends_on: dt.date | None = None,
) -> Sanction:
    """A sanction of the kind asked for (an unknown kind is refused, never a blacklist);
    for a platform ban ``starts_on`` is the day of the violation."""
    check_choice(kind, Sanction.Kind, field="kind", label="处理类型")
    if kind == Sanction.Kind.SUSPENSION:
        return sanction_suspend(
            actor=actor, institution_id=institution_id, starts_on=starts_on, reason=reason
        )
    if kind == Sanction.Kind.PLATFORM_BAN:
        return sanction_platform_ban(
            actor=actor, institution_id=institution_id, violated_on=starts_on, reason=reason
        )
    return sanction_blacklist(
        actor=actor,
        institution_id=institution_id,
        starts_on=starts_on,
        reason=reason,
        ends_on=ends_on,
    )


@transaction.atomic
def sanction_lift(*, actor: User, sanction_id: int, lifted_on: dt.date, reason: str) -> Sanction:
    """End a sanction early — for a blacklist, its dynamic exit (动态退出)."""
    require(actor, "sanction.edit")
    s = access_by_id(actor, Sanction.objects.select_for_update(), sanction_id)
    check_text(reason, field="reason", label="事由", max_length=LONG_TEXT, multiline=True)
    if not reason.strip():
        raise ValidationError(
            "请填写解除事由", message_en="a reason is required", detail={"field": "reason"}
        )
    if s.lifted_on is not None:
        raise ValidationError("该处理已解除", message_en="already lifted", code="already_lifted")
    if lifted_on < s.starts_on:
        raise ValidationError("解除日期早于起始日期", message_en="lifted before it started")
    s.lifted_on, s.lift_reason = lifted_on, reason.strip()
    s.save(update_fields=["lifted_on", "lift_reason"])
    audit.record(
        actor=actor,
        action="sanction.lift",
        obj=s,
        reason=reason.strip(),
        after={"lifted_on": lifted_on},
    )
    return s


class InstitutionSanctioned(DomainError):
    code = "institution_sanctioned"
    http_status = 409


# What each kind of sanction stops (§19, §20(3), §20(4)); every other action is allowed.
SANCTION_STOPS: dict[str, frozenset[str]] = {
    Sanction.Kind.SUSPENSION: frozenset({"class.apply"}),
    Sanction.Kind.BLACKLIST: frozenset(
        {"class.apply", "assessment.record", "subsidy.claim", "online.upload"}
    ),
    Sanction.Kind.PLATFORM_BAN: frozenset({"class.apply", "online.upload", "subsidy.claim"}),
}

SANCTION_CODES: dict[str, str] = {
    Sanction.Kind.SUSPENSION: "institution_suspended",
    Sanction.Kind.BLACKLIST: "institution_blacklisted",
    Sanction.Kind.PLATFORM_BAN: "platform_banned",
}

ACTION_LABELS = {
    "class.apply": "提交开班申请",
    "assessment.record": "开展评价",
    "subsidy.claim": "申领补贴",
    "online.upload": "参与补贴性线上培训",
}


def ensure_may_act(*, institution: Institution, action: str, on: dt.date | None = None) -> None:
    """Refuse ``action`` while a sanction that stops it is in force (call it wherever the
    institution acts: class applications, assessments, claims, platform uploads)."""
    day = on or clock.today()
    for s in active_sanctions(party=institution, on=day):
        if action in SANCTION_STOPS.get(s.kind, frozenset()):
            until = (
                f"至{s.ends_on - dt.timedelta(days=1)}"
                if s.ends_on
                else "（未设到期日，待动态退出）"
            )
            raise InstitutionSanctioned(
                f"{institution.name}自{s.starts_on}{until}处于“{s.get_kind_display()}”期间"
                f"（{s.clause}），不能{ACTION_LABELS.get(action, action)}。事由：{s.reason}",
                message_en=f"{institution.name} is under {s.kind} ({s.clause}) and may not {action}",
                code=SANCTION_CODES[s.kind],
                detail={
                    "sanction": s.pk,
                    "kind": s.kind,
                    "clause": s.clause,
                    "starts_on": s.starts_on.isoformat(),
                    "ends_on": s.ends_on.isoformat() if s.ends_on else None,
                },
            )


def may_edit(actor: User) -> bool:
    return can(actor, "registry.edit")


def export_start(*, actor: User, table: str, filters: Mapping[str, str]) -> Job:
    """Queue the export of a long list: the list's own filters only, as given (the job
    applies them with the actor's scope, as the page does)."""
    from chizheng.jobs.services import job_start

    from .tables import tables_for

    spec = tables_for(actor).get(table)
    if spec is None:
        raise ValidationError("没有这个列表", message_en="no such list", detail={"name": table})
    kept = {}
    for f in spec.filters:
        value = str(filters.get(f.name, "")).strip()
        if value and len(value) <= 200 and value.isprintable():
            kept[f.name] = value
    return job_start(actor=actor, kind="registry.export", params={"table": table, "filters": kept})
