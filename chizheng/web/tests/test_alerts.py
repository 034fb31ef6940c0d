"""A workbench's alerts (issue 16): the open findings of the actor's scope, and the
sanctions of his scope ending within the policy's window — nothing of another county, and
nothing for a role that neither supervises nor is sanctioned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from chizheng.accounts.models import Role, User
from chizheng.core import clock
from chizheng.org.models import County
from chizheng.registry import services
from chizheng.registry.models import Institution
from chizheng.rules import params
from chizheng.supervision.models import Finding
from chizheng.supervision.tests.conftest import make_finding
from chizheng.web.alerts import alerts_for

pytestmark = pytest.mark.django_db

TODAY = dt.date(2022, 5, 10)


@pytest.fixture
def scene(
    make_user: Callable[..., User], make_institution: Callable[..., Institution]
) -> dict[str, Any]:
    office = make_user(Role.PROGRAMME_OFFICE)
    xinhua, ruzhou = County.objects.get(code="410402"), County.objects.get(code="410482")
    mine, other = (
        make_institution("410402", name="新华学校"),
        make_institution("410482", name="汝州学校"),
    )
    months = params.current().value("outcomes.rectification_months", TODAY)
    # ends in 10 days (新华) and in about 50 days (汝州): only the first within 30
    soon = services.sanction_suspend(
        actor=office,
        institution_id=mine.pk,
        starts_on=_months_before(TODAY + dt.timedelta(days=10), months),
        reason="满意度低",
    )
    services.sanction_suspend(
        actor=office,
        institution_id=other.pk,
        starts_on=_months_before(TODAY + dt.timedelta(days=50), months),
        reason="满意度低",
    )
    make_finding(xinhua, n=1, score=40)
    make_finding(xinhua, n=2, state=Finding.State.CLEARED)
    make_finding(ruzhou, n=3)
    return {
        "office": office,
        "hr": make_user(Role.COUNTY_HR, county=xinhua),
        "other_hr": make_user(Role.COUNTY_HR, county=ruzhou),
        "institution": make_user(Role.INSTITUTION, institution=mine),
        "other_institution": make_user(Role.INSTITUTION, institution=other),
        "soon": soon,
    }


def _months_before(day: dt.date, months: int) -> dt.date:
    from chizheng.rules.decision import add_months

    return add_months(day, -months)


def _texts(user: User) -> dict[str, str]:
    return {a.testid: a.text for a in alerts_for(actor=user, today=TODAY)}


def test_the_office_sees_every_open_finding_and_the_sanction_ending(scene: dict[str, Any]) -> None:
    got = _texts(scene["office"])
    assert "有 2 条核查线索待核查" in got["alert-findings"]  # the cleared one is done
    assert (
        "新华学校" in got["alert-sanction-ending"] and "还有 10 天" in got["alert-sanction-ending"]
    )
    assert "复核整改" in got["alert-sanction-ending"]
    assert "汝州学校" not in " ".join(got.values())  # ends after the window


def test_a_county_sees_only_its_own(scene: dict[str, Any]) -> None:
    got = _texts(scene["hr"])
    assert "有 1 条核查线索待核查（最高风险分 40" in got["alert-findings"]
    assert "新华学校" in got["alert-sanction-ending"]
    other = _texts(scene["other_hr"])
    assert "有 1 条" in other["alert-findings"] and "alert-sanction-ending" not in other


def test_an_institution_sees_its_own_sanction_ending_and_no_findings(
    scene: dict[str, Any],
) -> None:
    got = _texts(scene["institution"])
    assert set(got) == {"alert-sanction-ending"} and "复核" not in got["alert-sanction-ending"]
    assert _texts(scene["other_institution"]) == {}


def test_the_home_page_shows_them_linking_where_they_are_handled(scene: dict[str, Any]) -> None:
    client = Client()
    client.force_login(scene["office"])
    with clock.freeze(TODAY):
        page = client.get("/").content.decode()
        assert 'data-testid="alerts"' in page
        assert f'href="/registry/sanctions/{scene["soon"].pk}/"' in page
        listed = client.get("/supervision/?year=2022&state=open").content.decode()
    assert listed.count("data-finding=") == 2
