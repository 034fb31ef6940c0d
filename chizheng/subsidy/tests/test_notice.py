"""The public notice (§21): at least 5 working days, objections from the public, each
handled by the office; it cannot close early or with an objection open."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from chizheng.api.tests.clients import ApiClient
from chizheng.core import clock
from chizheng.subsidy import services
from chizheng.subsidy.models import ClaimStatus, Objection

from .flow import CLOSE_DAY, NOTICE_LAST, on_notice

pytestmark = pytest.mark.django_db

ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def test_a_notice_cannot_close_on_or_before_its_fifth_working_day(money) -> None:
    claim = on_notice(money)
    for day in (dt.date(2022, 7, 1), NOTICE_LAST):
        with clock.freeze(day), pytest.raises(services.NoticeNotClosable):
            services.notice_close(actor=money.w.hr_a, claim_id=claim.pk)
    with clock.freeze(CLOSE_DAY):
        services.notice_close(actor=money.w.hr_a, claim_id=claim.pk)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.HR_REVIEW and claim.notice_until == NOTICE_LAST


def test_a_notice_with_an_open_objection_cannot_close(money) -> None:
    claim = on_notice(money)
    with clock.freeze(dt.date(2022, 7, 1)):
        o = services.objection_submit(claim_id=claim.pk, text="学员王某实际未参加培训。")
    with clock.freeze(CLOSE_DAY), pytest.raises(services.NoticeNotClosable, match="异议"):
        services.notice_close(actor=money.w.hr_a, claim_id=claim.pk)
    with clock.freeze(CLOSE_DAY):
        services.objection_handle(
            actor=money.w.hr_b,
            objection_id=o.pk,
            outcome=Objection.Outcome.DISMISSED,
            handling="经核查签到和录像，该学员全程参训，异议不成立。",
        )
        services.notice_close(actor=money.w.hr_a, claim_id=claim.pk)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.HR_REVIEW


def test_an_upheld_objection_returns_the_claim(money) -> None:
    claim = on_notice(money)
    with clock.freeze(dt.date(2022, 7, 1)):
        o = services.objection_submit(claim_id=claim.pk, text="该班有人冒名顶替参加考核。")
        services.objection_handle(
            actor=money.office, objection_id=o.pk, outcome="upheld", handling="查实，退回核减"
        )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RETURNED


def test_another_county_cannot_handle_objections(money) -> None:
    from chizheng.core.errors import NotFound

    claim = on_notice(money)
    with clock.freeze(dt.date(2022, 7, 1)):
        o = services.objection_submit(claim_id=claim.pk, text="学员王某实际未参加培训。")
        with pytest.raises(NotFound):
            services.objection_handle(
                actor=money.other_county_hr, objection_id=o.pk, outcome="dismissed", handling="x"
            )


def test_the_public_notice_needs_no_login_and_shows_no_id_number(money) -> None:
    claim = on_notice(money)
    c = ApiClient()
    with clock.freeze(dt.date(2022, 7, 1)):
        listing = c.get("/notices/")
        page = c.get(f"/notices/{claim.pk}/")
    assert listing.status_code == 200 and page.status_code == 200
    html = page.content.decode()
    assert "新华区职业培训学校" in html and "44,800.00" in html and "2022-切割-01" in html
    assert "中级工" in html
    assert ID_PATTERN.findall(listing.content.decode() + html) == []
    people = claim.lines.filter(payable=True).select_related("person")
    for line in people:
        assert line.person.id_number not in html and line.person.name not in html
        assert line.person.id_masked in html


def test_the_public_objects_through_the_form(money) -> None:
    claim = on_notice(money)
    c = ApiClient()
    with clock.freeze(dt.date(2022, 7, 1)):
        r = c.post(
            f"/notices/{claim.pk}/", {"text": "学员名单与实际参训人员不符。", "contact": "139"}
        )
    assert r.status_code in (200, 302)
    assert claim.objections.get().text == "学员名单与实际参训人员不符。"


def test_a_claim_not_on_notice_is_not_public(money) -> None:
    from .flow import submitted

    claim = submitted(money)
    assert ApiClient().get(f"/notices/{claim.pk}/").status_code == 404
