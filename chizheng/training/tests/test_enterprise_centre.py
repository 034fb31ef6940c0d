"""An enterprise training centre (企业培训中心) meets §20(1) — teachers of the occupation with
qualification certificates, a site, workstations for the occupation — when its occupation
enters the catalog and when it submits a class; other institutions are not asked."""

from __future__ import annotations

import datetime as dt

import pytest

from chizheng.accounts.models import Role
from chizheng.core.errors import DomainError, ValidationError
from chizheng.registry import services as registry
from chizheng.registry.models import CatalogEntry, Institution, TeacherCertificate, Workstation
from chizheng.training import services
from chizheng.training.models import Status
from chizheng.training.tests.conftest import occupation

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre(world):
    inst = world.institution
    inst.kind = Institution.Kind.ENTERPRISE_CENTRE
    inst.save(update_fields=["kind"])
    return inst


def test_a_class_of_a_centre_without_certified_teachers_is_refused(world, centre) -> None:
    training_class = world.apply()
    with pytest.raises(ValidationError) as refused:
        services.class_submit(actor=world.applicant, class_id=training_class.pk)
    message = refused.value.message
    assert "企业培训中心" in message and "§20(1)" in message and "不能提交开班申请" in message
    assert "缺少：持有资格证书的该职业教师（至少1名）" in message
    assert refused.value.code == "centre_conditions"
    TeacherCertificate.objects.create(
        teacher=world.teachers[0], kind="teacher_qualification", number="T-001"
    )
    services.class_submit(actor=world.applicant, class_id=training_class.pk)
    training_class.refresh_from_db()
    assert training_class.status == Status.SUBMITTED


def test_a_centre_without_workstations_is_refused_and_a_school_is_not_asked(world) -> None:
    Workstation.objects.all().delete()
    for t in world.teachers:
        TeacherCertificate.objects.create(teacher=t, kind="skill_level", number=f"S-{t.pk}")
    school_class = world.apply(batch="学校")
    # A school is refused by the class's workstation ratio only, not by the centre's rule.
    with pytest.raises(DomainError) as refused:
        services.class_submit(actor=world.applicant, class_id=school_class.pk)
    assert refused.value.code == "rules_failed"
    world.institution.kind = Institution.Kind.ENTERPRISE_CENTRE
    world.institution.save(update_fields=["kind"])
    with pytest.raises(ValidationError, match="缺少：该职业工位（至少1个）"):
        services.class_submit(actor=world.applicant, class_id=school_class.pk)


def test_the_catalog_takes_a_centre_only_with_its_conditions(world, centre, make_user) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    other = occupation("6-18-02-06", "另一工种")
    with pytest.raises(ValidationError) as refused:
        registry.catalog_add(
            actor=office,
            institution_id=centre.pk,
            year=2022,
            occupation_code=other.code,
            valid_from=dt.date(2022, 3, 1),
        )
    message = refused.value.message
    assert "不能纳入目录清单" in message and "§20(1)" in message
    assert "持有资格证书的该职业教师" in message and "该职业工位" in message
    assert not CatalogEntry.objects.filter(occupation=other).exists()
    world.teachers[0].occupations.add(other)
    TeacherCertificate.objects.create(
        teacher=world.teachers[0], kind="teacher_qualification", number="T-002"
    )
    Workstation.objects.create(site=world.site, occupation=other, count=10)
    entry = registry.catalog_add(
        actor=office,
        institution_id=centre.pk,
        year=2022,
        occupation_code=other.code,
        valid_from=dt.date(2022, 3, 1),
    )
    assert entry.occupation == other
    decision = registry.centre_check(centre, other, dt.date(2022, 3, 1))
    assert decision is not None and decision.outcome.value == "pass"
