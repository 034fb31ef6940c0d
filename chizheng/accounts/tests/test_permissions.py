"""The permission table: a role's grant, over an object reached by the grant's path."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template

from chizheng.accounts import permissions
from chizheng.accounts.models import Role
from chizheng.core.errors import PermissionDenied

pytestmark = pytest.mark.django_db


def _claim(county: object, department: object) -> SimpleNamespace:
    """What the claim review grants read of a claim: its county (and city) and department."""
    return SimpleNamespace(county=county, department=department)


def test_a_grant_over_an_object_reaches_only_the_actors_own(make_user, county) -> None:
    from chizheng.org.models import Department

    xinhua, ruzhou = county("410402"), county("410482")
    miit, commerce = Department.objects.get(code="miit"), Department.objects.get(code="commerce")
    claim = _claim(xinhua, miit)

    county_hr = make_user(Role.COUNTY_HR, county=xinhua)
    other_county = make_user(Role.COUNTY_HR, county=ruzhou)
    office = make_user(Role.PROGRAMME_OFFICE)
    reviewer = make_user(Role.INDUSTRY, department=miit)
    other_reviewer = make_user(Role.INDUSTRY, department=commerce)

    assert permissions.can(county_hr, "claim.review.hr", claim)
    assert not permissions.can(other_county, "claim.review.hr", claim)
    assert permissions.can(office, "claim.review.hr", claim)  # over county.city: his city
    assert permissions.can(reviewer, "claim.review.industry", claim)
    assert not permissions.can(other_reviewer, "claim.review.industry", claim)
    assert not permissions.can(reviewer, "claim.review.hr", claim)  # not his role's action
    # Without an object the question is the role's: may he ever do it?
    assert permissions.can(other_county, "claim.review.hr")


def test_require_says_whether_the_role_or_the_object_is_wrong(make_user, county) -> None:
    from chizheng.org.models import Department

    miit = Department.objects.get(code="miit")
    claim = _claim(county("410402"), miit)
    other_county = make_user(Role.COUNTY_HR, county=county("410482"))
    worker_of_finance = make_user(Role.FINANCE)

    with pytest.raises(PermissionDenied) as not_his:
        permissions.require(other_county, "claim.review.hr", claim, message="只能审核本县的申领")
    assert not_his.value.message == "只能审核本县的申领"
    with pytest.raises(PermissionDenied) as not_his_role:
        permissions.require(worker_of_finance, "claim.review.hr", claim)
    assert not_his_role.value.message == "您的角色无权执行此操作"


def test_inactive_and_anonymous_may_do_nothing_and_the_system_only_what_it_is_granted(
    make_user,
) -> None:
    from django.contrib.auth.models import AnonymousUser

    office = make_user(Role.PROGRAMME_OFFICE)
    office.is_active = False
    assert not permissions.can(office, "policy.edit")
    assert not permissions.can(AnonymousUser(), "policy.view")  # type: ignore[arg-type]
    assert not permissions.can(None, "policy.edit")  # the system is granted no office work


def test_an_action_missing_from_the_table_is_an_error_not_a_no() -> None:
    with pytest.raises(KeyError, match=r"class\.fly"):
        permissions.can(None, "class.fly")


def test_templates_ask_the_table(make_user, make_institution) -> None:
    page = Template('{% if actor|can:"class.apply" %}新建开班申请{% endif %}')
    institution_user = make_user(Role.INSTITUTION, institution=make_institution())
    assert "新建开班申请" in page.render(Context({"actor": institution_user}))
    assert "新建开班申请" not in page.render(Context({"actor": make_user(Role.FINANCE)}))
