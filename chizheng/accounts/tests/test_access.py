"""A county user cannot read another county's objects through the access layer."""

import pytest

from chizheng.accounts.access import access_by_id, can, require, visible
from chizheng.accounts.models import Role
from chizheng.core.errors import NotFound, PermissionDenied
from chizheng.registry.models import Institution, Person

pytestmark = pytest.mark.django_db


def test_county_user_lists_only_his_county(
    make_user, make_institution, make_person, county
) -> None:
    own = make_institution("410402")
    other = make_institution("410482")
    make_person("410402")
    make_person("410482")
    xinhua = make_user(Role.COUNTY_HR, county=county("410402"))

    assert list(visible(xinhua, Institution.objects.all())) == [own]
    assert {p.county.code for p in visible(xinhua, Person.objects.all())} == {"410402"}
    assert access_by_id(xinhua, Institution.objects.all(), own.pk) == own
    with pytest.raises(NotFound):
        access_by_id(xinhua, Institution.objects.all(), other.pk)


def test_missing_and_forbidden_look_the_same(make_user, make_institution, county) -> None:
    other = make_institution("410482")
    xinhua = make_user(Role.COUNTY_HR, county=county("410402"))
    with pytest.raises(NotFound) as forbidden:
        access_by_id(xinhua, Institution.objects.all(), other.pk)
    with pytest.raises(NotFound) as missing:
        access_by_id(xinhua, Institution.objects.all(), 999_999)
    assert forbidden.value.message == missing.value.message


def test_programme_office_sees_all_counties(make_user, make_institution) -> None:
    make_institution("410402")
    make_institution("410482")
    office = make_user(Role.PROGRAMME_OFFICE)
    assert visible(office, Institution.objects.all()).count() == 2


def test_institution_user_sees_only_itself(make_user, make_institution) -> None:
    mine = make_institution("410402")
    make_institution("410402")
    user = make_user(Role.INSTITUTION, institution=mine)
    assert list(visible(user, Institution.objects.all())) == [mine]
    assert visible(user, Person.objects.all()).count() == 0


def test_department_user_sees_institutions_of_his_sector(make_user, make_institution) -> None:
    from chizheng.org.models import Department

    miit, commerce = Department.objects.get(code="miit"), Department.objects.get(code="commerce")
    a = make_institution(department=miit)
    make_institution(department=commerce)
    user = make_user(Role.INDUSTRY, department=miit)
    assert list(visible(user, Institution.objects.all())) == [a]
    assert visible(user, Person.objects.all()).count() == 0


def test_worker_sees_only_himself(make_user, make_person) -> None:
    me, _other = make_person(), make_person()
    user = make_user(Role.WORKER, person=me)
    assert list(visible(user, Person.objects.all())) == [me]


def test_anonymous_and_inactive_see_nothing(make_user, make_institution) -> None:
    from django.contrib.auth.models import AnonymousUser

    make_institution()
    office = make_user(Role.PROGRAMME_OFFICE)
    office.is_active = False
    assert visible(AnonymousUser(), Institution.objects.all()).count() == 0  # type: ignore[arg-type]
    assert visible(office, Institution.objects.all()).count() == 0


def test_permissions_by_role(make_user, county) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    xinhua = make_user(Role.COUNTY_HR, county=county("410402"))
    assert can(office, "policy.edit") and not can(xinhua, "policy.edit")
    with pytest.raises(PermissionDenied):
        require(xinhua, "policy.edit")


def test_a_role_needs_its_scope(city) -> None:
    from django.core.exceptions import ValidationError

    from chizheng.accounts.models import User

    with pytest.raises(ValidationError, match="county"):
        User(username="x", role=Role.COUNTY_HR).clean()
