"""An institution's resources for training: its teachers (with their occupations and
certificates), its sites, and each site's workstations per occupation (§20(1)).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from chizheng.accounts.access import access_by_id
from chizheng.accounts.models import User
from chizheng.core import audit, ids
from chizheng.core.errors import ValidationError
from chizheng.core.inputs import check_choice

from ..models import Site, SkillLevel, Teacher, TeacherCertificate, Workstation
from ..selectors import id_index
from .common import _editable_institution, _require_edit, _valid_id
from .occupations import occupation_for_code


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
