"""The state machine asks the permission table: a transition fires for a role granted its
action, and for the system (``actor=None``) only where the table grants ``SYSTEM``."""

from __future__ import annotations

from typing import Any

import pytest

from chizheng.accounts import permissions
from chizheng.accounts.models import Role
from chizheng.core.models import HolidayYear
from chizheng.core.workflow import StateMachine, Transition, TransitionRefused

pytestmark = pytest.mark.django_db

DRAFT, KNOWN = HolidayYear.Status.DRAFT, HolidayYear.Status.KNOWN
fired: list[tuple[str, Any]] = []


def _machine(action: str) -> StateMachine[HolidayYear]:
    return StateMachine(
        [Transition.of("confirm", "确认并启用", [DRAFT], KNOWN, action=action)],
        action="test",
        log=lambda obj, t, before, actor, reason: fired.append((t.name, actor)),
    )


@pytest.fixture
def year() -> HolidayYear:
    fired.clear()
    return HolidayYear.objects.create(year=2031, source="国务院办公厅通知")


def test_a_transition_names_an_action_the_table_has() -> None:
    with pytest.raises(KeyError, match=r"class\.fly"):
        Transition.of("fly", "起飞", ["draft"], "flying", action="class.fly")


def test_a_role_without_the_action_is_refused(year: HolidayYear, make_user, county) -> None:
    county_hr = make_user(Role.COUNTY_HR, county=county("410402"))
    assert not permissions.can(county_hr, "calendar.edit")
    with pytest.raises(TransitionRefused) as refused:
        _machine("calendar.edit").fire(year, "confirm", actor=county_hr)
    assert refused.value.code == "permission_denied" and refused.value.http_status == 403
    assert refused.value.message == "您的角色（县（市、区）人社局）不能确认并启用"
    year.refresh_from_db()
    assert year.status == DRAFT and fired == []


def test_a_role_with_the_action_fires(year: HolidayYear, make_user) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    _machine("calendar.edit").fire(year, "confirm", actor=office)
    year.refresh_from_db()
    assert year.status == KNOWN and fired == [("confirm", office)]


def test_the_system_fires_only_where_the_table_grants_it(year: HolidayYear) -> None:
    assert permissions.SYSTEM not in permissions.roles("calendar.edit")
    with pytest.raises(TransitionRefused) as refused:
        _machine("calendar.edit").fire(year, "confirm", actor=None)
    assert refused.value.code == "permission_denied"
    assert refused.value.message == "您的角色（系统）不能确认并启用"

    assert permissions.SYSTEM in permissions.roles("voucher.expire")
    _machine("voucher.expire").fire(year, "confirm", actor=None)
    year.refresh_from_db()
    assert year.status == KNOWN and fired == [("confirm", None)]


def test_a_grant_for_the_system_is_no_grant_for_a_user(year: HolidayYear, make_user) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    with pytest.raises(TransitionRefused):
        _machine("job.run").fire(year, "confirm", actor=office)
    _machine("job.run").fire(year, "confirm", actor=None)


def test_an_inactive_user_fires_nothing(year: HolidayYear, make_user) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    office.is_active = False
    with pytest.raises(TransitionRefused):
        _machine("calendar.edit").fire(year, "confirm", actor=office)


def test_available_offers_what_the_table_grants(year: HolidayYear, make_user, county) -> None:
    machine = _machine("calendar.edit")
    assert [t.name for t in machine.available(year, make_user(Role.PROGRAMME_OFFICE))] == [
        "confirm"
    ]
    assert machine.available(year, make_user(Role.COUNTY_HR, county=county("410402"))) == []
    assert machine.available(year, None) == []
