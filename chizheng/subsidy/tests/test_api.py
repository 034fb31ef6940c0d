"""The subsidy API: the same steps as the pages, errors as {code, message, detail}."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from chizheng.api.tests.clients import ApiClient
from chizheng.core import clock
from chizheng.subsidy import services

from .conftest import CLAIM_DAY, fund
from .flow import approved, on_notice

pytestmark = pytest.mark.django_db


def test_an_institution_claims_through_the_api(money, client: Client) -> None:
    client.force_login(money.w.applicant)
    with clock.freeze(CLAIM_DAY):
        r = client.post(f"/api/v1/classes/{money.training_class.pk}/claim")
        assert r.status_code == 200, r.content
        claim = r.json()
        assert claim["amount"] == "44800.00" and claim["persons"] == 28
        assert sum(1 for x in claim["lines"] if not x["payable"]) == 2
        r = client.post(
            f"/api/v1/subsidy/claims/{claim['id']}/submit",
            {"applicant_name": "张校长", "commitment": "同意"},
            content_type="application/json",
        )
        assert r.status_code == 422 and r.json()["code"] == "invalid"
        r = client.post(
            f"/api/v1/subsidy/claims/{claim['id']}/submit",
            {"applicant_name": "张校长", "commitment": services.COMMITMENT},
            content_type="application/json",
        )
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    assert r.json()["deadlines"][0]["rule"] == "claim.industry_review"


def test_disbursing_twice_is_a_409(money, client: Client) -> None:
    fund(money, "skills_upgrade_account", "100000")
    claim = approved(money)
    client.force_login(money.finance_a)
    with clock.freeze(dt.date(2022, 7, 12)):
        assert client.post(f"/api/v1/subsidy/claims/{claim.pk}/disburse").status_code == 200
        r = client.post(f"/api/v1/subsidy/claims/{claim.pk}/disburse")
    assert r.status_code == 409 and r.json()["code"] == "already_paid"
    funds = client.get("/api/v1/subsidy/funds").json()
    assert funds[0]["balance"] == "55200.00"


def test_the_public_api_lists_notices_and_takes_objections_without_login(money) -> None:
    claim = on_notice(money)
    c = ApiClient()
    with clock.freeze(dt.date(2022, 7, 1)):
        rows = c.get("/api/v1/notices").json()
        r = c.post(
            f"/api/v1/notices/{claim.pk}/objections",
            {"text": "培训期间多日无人上课。"},
            content_type="application/json",
        )
    assert [x["claim_id"] for x in rows] == [claim.pk] and rows[0]["amount"] == "44800.00"
    assert r.status_code == 200 and claim.objections.count() == 1


def test_standards_endpoint(money, client: Client) -> None:
    client.force_login(money.w.applicant)
    r = client.get("/api/v1/subsidy/standards?at=2022-06-01").json()
    items = {i["key"]: i["amount"] for i in r["items"]}
    assert items["level_1"] == "5000" and items["training_pass"] == "700"


def test_a_transferred_voucher_is_refused_through_the_api(world, client: Client) -> None:
    from chizheng.core import clock as c

    with c.freeze(dt.date(2022, 5, 20)):
        v = services.voucher_issue(
            actor=world.hr_a, person_id=world.people[0].pk, expires_on=dt.date(2022, 12, 31)
        )
        training_class = world.apply(batch="2022-API-券")
    client.force_login(world.applicant)
    with c.freeze(dt.date(2022, 5, 21)):
        r = client.post(
            "/api/v1/subsidy/vouchers/bind",
            {"number": v.number, "class_id": training_class.pk, "person_id": world.people[1].pk},
            content_type="application/json",
        )
        assert r.status_code == 409 and r.json()["code"] == "voucher_not_transferable"
        r = client.post(
            "/api/v1/subsidy/vouchers/bind",
            {"number": v.number, "class_id": training_class.pk, "person_id": world.people[0].pk},
            content_type="application/json",
        )
    assert r.status_code == 200 and r.json()["status"] == "bound"
    client.force_login(world.other_applicant)
    assert client.get("/api/v1/subsidy/vouchers").json() == []
