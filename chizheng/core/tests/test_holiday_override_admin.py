"""The single-day calendar corrections in the admin: the city office's only, and every
change an audit event (before, the admin was an unaudited side door into the calendar)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from chizheng.accounts.models import Role, User
from chizheng.api.tests.clients import ApiClient
from chizheng.core.models import AuditEvent, HolidayOverride

pytestmark = pytest.mark.django_db

ADD = "/admin/core/holidayoverride/add/"


def _staff(make_user: Callable[..., User], role: str, **scope: object) -> ApiClient:
    user = make_user(role, **scope)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = ApiClient()
    client.force_login(user)
    return client


def test_the_programme_office_changes_a_day_and_it_is_audited(
    make_user: Callable[..., User],
) -> None:
    office = _staff(make_user, Role.PROGRAMME_OFFICE)
    r = office.post(ADD, {"day": "2027-01-02", "workday": "on", "name": "调休上班"})
    assert r.status_code == 302, r.content.decode()[:500]
    day = HolidayOverride.objects.get()
    event = AuditEvent.objects.get(action="calendar.override.add")
    assert event.object_id == str(day.pk)
    assert event.after is not None and event.after["workday"] is True

    r = office.post(f"/admin/core/holidayoverride/{day.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    assert not HolidayOverride.objects.exists()
    deleted = AuditEvent.objects.get(action="calendar.override.delete")
    assert deleted.before is not None and deleted.before["name"] == "调休上班"


def test_other_staff_cannot(
    make_user: Callable[..., User], county: Callable[[str], object]
) -> None:
    hr = _staff(make_user, Role.COUNTY_HR, county=county("410402"))
    assert hr.get(ADD).status_code == 403
    r = hr.post(ADD, {"day": "2027-01-02", "workday": "on", "name": "x"})
    assert r.status_code == 403 and not HolidayOverride.objects.exists()
