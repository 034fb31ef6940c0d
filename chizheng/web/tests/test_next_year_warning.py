"""Office home pages warn from 1 November (calendar.next_year_reminder_from) while next
year's holidays are unknown; the city office gets the link to enter them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from chizheng.accounts.models import Role
from chizheng.core import holiday_services as hs
from chizheng.core.tests.holiday_fixture import BLOCKS_2027, SOURCE
from chizheng.org.models import Department
from chizheng.registry.models import Institution

pytestmark = pytest.mark.django_db
WARNING = 'data-testid="next-year-warning"'
LINK = 'href="/calendar/2027/"'


def home(client: Client, user) -> str:
    client.force_login(user)
    return client.get("/").content.decode()


def test_the_programme_office_is_warned_with_the_link(client: Client, make_user, today) -> None:
    today(dt.date(2026, 12, 1))
    page = home(client, make_user(Role.PROGRAMME_OFFICE))
    assert WARNING in page and LINK in page
    assert "2027年的法定节假日和调休安排尚未录入" in page
    assert "本系统自每年11月1日起提示，为市办公室的工作口径" in page


@pytest.mark.parametrize("role", [Role.COUNTY_HR, Role.INDUSTRY, Role.FINANCE])
def test_other_offices_are_warned_without_the_link(
    client: Client, make_user, county, today, role
) -> None:
    today(dt.date(2026, 11, 1))
    scope = {
        Role.COUNTY_HR: {"county": county("410402")},
        Role.INDUSTRY: {"department": Department.objects.get(code="miit")},
        Role.FINANCE: {},
    }[role]
    page = home(client, make_user(role, **scope))
    assert WARNING in page and LINK not in page
    assert "请市人社局（领导小组办公室）依据国务院办公厅的节假日安排通知录入" in page


def test_institutions_are_not_warned(client: Client, make_user, make_institution, today) -> None:
    today(dt.date(2026, 12, 1))
    user = make_user(Role.INSTITUTION, institution=make_institution())
    assert WARNING not in home(client, user)


def test_not_before_the_first_of_november(client: Client, make_user, today) -> None:
    today(dt.date(2026, 10, 31))
    assert WARNING not in home(client, make_user(Role.PROGRAMME_OFFICE))


def test_not_when_next_year_is_known(client: Client, make_user, today) -> None:
    today(dt.date(2022, 12, 1))  # 2023 is in the package
    assert WARNING not in home(client, make_user(Role.PROGRAMME_OFFICE))


def test_gone_once_the_year_is_confirmed_not_while_a_draft(
    client: Client, make_user, today
) -> None:
    today(dt.date(2026, 12, 1))
    office = make_user(Role.PROGRAMME_OFFICE)
    y = hs.holiday_year_save(
        actor=office,
        year=2027,
        source=SOURCE,
        notice_number="",
        notice_date=None,
        blocks=BLOCKS_2027,
        revision=0,
    )
    assert WARNING in home(client, office)
    hs.holiday_year_confirm(actor=office, year=2027, revision=y.revision)
    assert WARNING not in home(client, office)


def test_a_platform_home_has_no_warning(client: Client, make_user, make_institution, today) -> None:
    today(dt.date(2026, 12, 1))
    platform = make_institution(kind=Institution.Kind.PLATFORM)
    assert WARNING not in home(client, make_user(Role.PLATFORM, institution=platform))
