"""Individual claims in the pages, the API and the exports: the worker applies from his home
page's certificates; the claim is his, his county's and his training's department's, the
city's; another person, another county, another department and any institution (the one
that trained him included) get nothing; the full account number is on no page, answer or
export of anyone."""

from __future__ import annotations

import datetime as dt

import pytest

from chizheng.api.tests.clients import ApiClient
from chizheng.core import clock
from chizheng.subsidy import services
from chizheng.subsidy.models import Claim

from .conftest import CLAIM_DAY, fund
from .flow import seen
from .individual import (
    ACCOUNT,
    ACCOUNT_DIGITS,
    BANK,
    MASKED,
    PAY_DAY,
    apply,
    outside_certificate,
    to_notice,
    to_paid,
    worker,
)

pytestmark = pytest.mark.django_db

BULLETIN = "start=2022-07-01&end=2022-09-30"


def _client(user) -> ApiClient:
    c = ApiClient()
    c.force_login(user)
    return c


@pytest.fixture
def solo(money, make_user):
    person = money.w.people[35]
    return worker(make_user, person), outside_certificate(money, person)


@pytest.fixture
def paid(money, solo):
    fund(money, "skills_upgrade_account", "100000")
    return to_paid(money, to_notice(money, apply(money, *solo)))


def outsiders(money, make_user):
    return {
        "another person": worker(make_user, money.w.people[36]),
        "another county": money.other_county_hr,
        "another department": money.other_department,
        "the institution that trained him": money.w.applicant,
        "another institution": money.w.other_applicant,
        "the evaluator": money.w.evaluator_user,
    }


def test_the_worker_applies_from_his_certificates(money, solo) -> None:
    user, cert = solo
    c = _client(user)
    home = c.get("/").content.decode()
    assert f'href="/subsidy/individual/certificates/{cert.pk}/"' in home and "个人申领补贴" in home
    form = c.get(f"/subsidy/individual/certificates/{cert.pk}/").content.decode()
    assert money.w.institution.name in form and 'data-testid="individual-form"' in form
    data = {
        "bank_name": BANK,
        "bank_account": "6222 0212 345",  # 11 digits: refused, the form comes back
        "training_institution_id": str(money.w.institution.pk),
        "commit": "on",
    }
    with clock.freeze(CLAIM_DAY):
        r = c.post(f"/subsidy/individual/certificates/{cert.pk}/", data)
        assert r.status_code == 200 and "应为12至32位数字（现为11位）" in r.content.decode()
        assert "62220212345" not in r.content.decode() and BANK in r.content.decode()
        r = c.post(
            f"/subsidy/individual/certificates/{cert.pk}/", {**data, "bank_account": ACCOUNT}
        )
    claim = Claim.objects.get(person=cert.person)
    assert r.status_code == 302 and r["Location"] == f"/subsidy/claims/{claim.pk}/"
    page = c.get(r["Location"]).content.decode()
    assert "待行业主管部门初审" in page and MASKED in page and BANK in page
    assert money.w.evaluator.name in page and "个人申请" in page
    home = c.get("/").content.decode()
    assert f'data-testid="my-claim-status-{claim.pk}">待行业主管部门初审' in home
    assert f'href="/subsidy/individual/certificates/{cert.pk}/"' not in home
    for html in (page, home, c.get("/subsidy/").content.decode()):
        assert ACCOUNT_DIGITS not in html


def test_the_officials_see_it_in_their_queues_with_a_badge(money, solo) -> None:
    claim = apply(money, *solo)
    for user in (money.w.industry_a, money.w.hr_a, money.office, money.finance_a):
        listing = _client(user).get("/subsidy/").content.decode()
        assert f'data-testid="claim-row-{claim.pk}"' in listing and "个人申请" in listing
        page = _client(user).get(f"/subsidy/claims/{claim.pk}/").content.decode()
        assert MASKED in page and ACCOUNT_DIGITS not in page
    page = _client(money.w.industry_a).get(f"/subsidy/claims/{claim.pk}/").content.decode()
    assert 'data-testid="review-form"' in page


def test_outsiders_get_nothing_from_pages_api_and_exports(money, make_user, paid) -> None:
    for who, user in outsiders(money, make_user).items():
        c = _client(user)
        with clock.freeze(PAY_DAY):
            assert c.get(f"/subsidy/claims/{paid.pk}/").status_code == 404, who
            assert f"claim-row-{paid.pk}" not in c.get("/subsidy/").content.decode(), who
            assert c.get(f"/subsidy/individual/claims/{paid.pk}/").status_code == 404, who
            assert c.get(f"/api/v1/subsidy/claims/{paid.pk}").status_code == 404, who
            assert paid.pk not in [x["id"] for x in c.get("/api/v1/subsidy/claims").json()["items"]]
            html = c.get(f"/subsidy/bulletin/?{BULLETIN}").content.decode()
            assert "1,600.00" not in html, who
            xlsx = c.get(f"/subsidy/bulletin/?{BULLETIN}&format=xlsx")
            assert xlsx.status_code == 200 and b"1600" not in xlsx.content, who
            r = c.get(f"/api/v1/subsidy/bulletin?{BULLETIN}").json()
            assert r["total"] == "0.00", who
        assert c.get(f"/subsidy/individual/certificates/{paid.certificate_id}/").status_code == 404


def test_the_full_account_is_in_no_answer_or_export(money, make_user, paid) -> None:
    insiders = [paid.created_by, money.w.industry_a, money.w.hr_a, money.office, money.finance_a]
    for user in insiders:
        c = _client(user)
        pages = [
            c.get(f"/subsidy/claims/{paid.pk}/"),
            c.get("/subsidy/"),
            c.get(f"/api/v1/subsidy/claims/{paid.pk}"),
            c.get("/api/v1/subsidy/claims"),
            c.get(f"/subsidy/bulletin/?{BULLETIN}&format=xlsx"),
            c.get(f"/subsidy/bulletin/?{BULLETIN}&format=pdf"),
            c.get("/"),
        ]
        for r in pages:
            assert r.status_code == 200
            assert ACCOUNT_DIGITS.encode() not in r.content
        detail = c.get(f"/api/v1/subsidy/claims/{paid.pk}").json()
        assert detail["bank_account_masked"] == MASKED and detail["applicant_kind"] == "individual"
    finance = _client(money.finance_a)
    html = finance.get(f"/subsidy/bulletin/?{BULLETIN}").content.decode()
    assert "1,600.00" in html  # the city's bulletin counts it, under the person's county
    public = ApiClient()
    with clock.freeze(dt.date(2022, 7, 1)):
        assert ACCOUNT_DIGITS.encode() not in public.get("/notices/").content


def test_another_county_person_is_his_county_s_not_the_training_s(money, make_user) -> None:
    """The claim is the person's county's (ADR 0006): a 汝州 worker trained at a 新华区 school
    is seen by 汝州's bureau, not 新华区's; the department is the school's."""
    from chizheng.core import ids
    from chizheng.org.models import County
    from chizheng.registry.services import person_register

    ruzhou = County.objects.get(code="410482")
    person = person_register(
        actor=None,
        name="汝州学员",
        id_number=ids.make("410482", dt.date(1992, 3, 3), 7),
        county=ruzhou,
    )
    claim = apply(money, worker(make_user, person), outside_certificate(money, person))
    assert claim.county_id == ruzhou.pk
    assert _client(money.other_county_hr).get(f"/subsidy/claims/{claim.pk}/").status_code == 200
    assert _client(money.w.hr_a).get(f"/subsidy/claims/{claim.pk}/").status_code == 404
    assert _client(money.w.industry_a).get(f"/subsidy/claims/{claim.pk}/").status_code == 200


def test_the_api_of_individual_claims(money, solo) -> None:
    user, cert = solo
    c = _client(user)
    (row,) = c.get("/api/v1/subsidy/individual/certificates").json()
    assert row["certificate_id"] == cert.pk and row["may_apply"] and row["claim_id"] is None
    body = {
        "certificate_id": cert.pk,
        "training_institution_id": money.w.institution.pk,
        "bank_name": BANK,
        "bank_account": "6222abc",
        "commitment": services.COMMITMENT,
    }
    with clock.freeze(CLAIM_DAY):
        r = c.post("/api/v1/subsidy/individual/claims", body, content_type="application/json")
        assert r.status_code == 422 and r.json()["detail"]["field"] == "bank_account"
        r = c.post(
            "/api/v1/subsidy/individual/claims",
            {**body, "bank_account": ACCOUNT},
            content_type="application/json",
        )
    assert r.status_code == 200, r.content
    out = r.json()
    assert (out["applicant_kind"], out["status"], out["amount"]) == (
        "individual",
        "submitted",
        "1600.00",
    )
    assert out["class_id"] is None and out["institution"] == money.w.institution.name
    assert out["bank_account_masked"] == MASKED and ACCOUNT_DIGITS not in r.content.decode()
    (row,) = c.get("/api/v1/subsidy/individual/certificates").json()
    assert row["claim_id"] == out["id"] and not row["may_apply"]
    assert c.get("/api/v1/subsidy/claims").json()["count"] == 1
    # an institution's user may not apply for a person
    inst = _client(money.w.applicant)
    with clock.freeze(CLAIM_DAY):
        r = inst.post(
            "/api/v1/subsidy/individual/claims",
            {**body, "bank_account": ACCOUNT},
            content_type="application/json",
        )
    assert r.status_code == 403
    assert inst.get("/api/v1/subsidy/individual/certificates").json() == []


def test_the_openapi_document_has_the_individual_endpoints(money) -> None:
    doc = ApiClient().get("/api/v1/openapi.json").json()
    paths = doc["paths"]
    assert "/api/v1/subsidy/individual/claims" in paths
    assert "/api/v1/subsidy/individual/claims/{claim_id}/resubmit" in paths
    assert "/api/v1/subsidy/individual/certificates" in paths
    schema = doc["components"]["schemas"]["IndividualIn"]
    assert {"certificate_id", "bank_name", "bank_account", "commitment"} <= set(schema["required"])


def test_returned_he_resubmits_from_his_claim_page(money, solo) -> None:
    user, cert = solo
    claim = apply(money, user, cert)
    with clock.freeze(dt.date(2022, 6, 29)):
        services.claim_review(
            actor=money.w.industry_a,
            claim_id=claim.pk,
            seen=seen(claim),
            decision="return",
            opinion="帐号户名不符",
        )
    c = _client(user)
    page = c.get(f"/subsidy/claims/{claim.pk}/").content.decode()
    assert f'href="/subsidy/individual/claims/{claim.pk}/"' in page and "退回修改" in page
    form = c.get(f"/subsidy/individual/claims/{claim.pk}/").content.decode()
    assert f'value="{BANK}"' in form and "重新提交" in form
    assert f'<option value="{money.w.institution.pk}" selected>' in form
    assert ACCOUNT_DIGITS not in form
    with clock.freeze(dt.date(2022, 6, 30)):
        r = c.post(
            f"/subsidy/individual/claims/{claim.pk}/",
            {
                "bank_name": BANK,
                "bank_account": "6228 4800 1234 5678",
                "training_institution_id": str(money.w.institution.pk),
                "commit": "on",
            },
        )
    assert r.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "submitted" and claim.bank_account_masked == "6228********5678"
    # nobody else reaches his form
    assert (
        _client(money.w.applicant).get(f"/subsidy/individual/claims/{claim.pk}/").status_code == 404
    )
