"""The navigation of every page (web/base.html) offers a role the links of the actions the
permission table grants it, and no other."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from chizheng.accounts import permissions
from chizheng.accounts.models import Role, User

pytestmark = pytest.mark.django_db

# The link → the action behind it.
LINKS = {
    "registry:index": "registry.view",
    "subsidy:list": "subsidy.view",
    "plan:dashboard": "plan.view",
    "online:dashboard": "online.dashboard",
    "supervision:list": "supervision.view",
    "competitions:list": "competition.view",
    "training:queue": "class.review",
    "training:inspection_plan": "inspection.record",
    "accounts:tokens": "api.token",
}

OFFICE, LEADER, COUNTY = Role.PROGRAMME_OFFICE, Role.CITY_LEADER, Role.COUNTY_HR
INDUSTRY, FINANCE, INSPECTOR = Role.INDUSTRY, Role.FINANCE, Role.INSPECTOR
INSTITUTION, EVALUATOR, PLATFORM, WORKER = (
    Role.INSTITUTION,
    Role.EVALUATOR,
    Role.PLATFORM,
    Role.WORKER,
)
# Who has been offered each link: the table's grants must keep them.
OFFERED: dict[str, set[str]] = {
    "registry:index": {
        OFFICE,
        LEADER,
        COUNTY,
        INDUSTRY,
        FINANCE,
        INSPECTOR,
        INSTITUTION,
        EVALUATOR,
    },
    "subsidy:list": set(Role.values) - {PLATFORM},
    "plan:dashboard": {OFFICE, LEADER, COUNTY},
    "online:dashboard": {OFFICE, LEADER, COUNTY},
    "supervision:list": {OFFICE, LEADER, COUNTY, INSPECTOR},
    "competitions:list": {OFFICE, LEADER, COUNTY, INDUSTRY},
    "training:queue": {INDUSTRY, COUNTY, OFFICE},
    "training:inspection_plan": {INSPECTOR, COUNTY, OFFICE},
    "accounts:tokens": {INSTITUTION, EVALUATOR, PLATFORM},
}


@pytest.fixture
def one_of_each(make_user, make_institution, make_person, county) -> dict[str, User]:
    from chizheng.org.models import Department

    users: dict[str, User] = {
        role: make_user(role) for role in (OFFICE, LEADER, FINANCE, INSPECTOR)
    }
    users[COUNTY] = make_user(COUNTY, county=county("410402"))
    users[INDUSTRY] = make_user(INDUSTRY, department=Department.objects.get(code="miit"))
    for role in (INSTITUTION, EVALUATOR, PLATFORM):
        users[role] = make_user(role, institution=make_institution())
    users[WORKER] = make_user(WORKER, person=make_person())
    assert set(users) == set(Role.values)
    return users


def _nav(user: User) -> str:
    request = RequestFactory().get("/")
    request.user = user
    page = render_to_string("web/base.html", request=request)
    found = re.search(r"<nav>(.*?)</nav>", page, re.S)
    assert found is not None
    return found.group(1)


def test_each_role_is_offered_the_links_of_its_actions(one_of_each: dict[str, User]) -> None:
    for role, user in one_of_each.items():
        nav = _nav(user)
        for name, action in LINKS.items():
            shown = f'href="{reverse(name)}"' in nav
            assert shown == permissions.can(user, action), (role, name)
            assert shown == (role in OFFERED[name]), (role, name)
        assert f'href="{reverse("training:list")}"' in nav  # every role has its classes


def test_no_one_signed_in_is_offered_nothing() -> None:
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    page = render_to_string("web/base.html", request=request)
    for name in LINKS:
        assert f'href="{reverse(name)}"' not in page
