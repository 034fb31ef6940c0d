"""Finance's reveal of an individual applicant's bank account (附件2 备注2, ADR 0006): the
city's finance bureau sees the full number once, with a reason, and an audit row names who,
when and which claim; every other role and scope gets nothing; the number is in no log, no
audit row, no list and no export."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from chizheng.accounts.models import Role
from chizheng.api.tests.clients import ApiClient
from chizheng.core import clock
from chizheng.core.errors import NotFound, PermissionDenied, ValidationError
from chizheng.core.models import AuditEvent
from chizheng.org.models import City
from chizheng.subsidy import services
from chizheng.subsidy.models import Claim

from .conftest import fund
from .flow import CLOSE_DAY
from .individual import ACCOUNT_DIGITS, MASKED, apply, outside_certificate, to_notice, worker
from .individual import review as review_at

pytestmark = pytest.mark.django_db
REVEAL_DAY = dt.date(2022, 7, 8)


def _client(user) -> ApiClient:
    c = ApiClient()
    c.force_login(user)
    return c


def _to_finance(m, claim: Claim) -> Claim:
    """From the notice to the finance bureau's first review."""
    with clock.freeze(CLOSE_DAY):
        services.notice_close(actor=m.w.hr_a, claim_id=claim.pk)
    review_at(m.w.hr_a, claim, CLOSE_DAY)
    review_at(m.w.hr_b, claim, CLOSE_DAY + dt.timedelta(days=1))
    claim.refresh_from_db()
    assert claim.status == "finance_review"
    return claim


@pytest.fixture
def applicant(money, make_user):
    return worker(make_user, money.w.people[35])


@pytest.fixture
def at_finance(money, applicant):
    fund(money, "skills_upgrade_account", "100000")
    cert = outside_certificate(money, applicant.person)
    return _to_finance(money, to_notice(money, apply(money, applicant, cert)))


def _reveals(claim: Claim):
    return AuditEvent.objects.filter(action="claim.reveal_account", object_id=str(claim.pk))


def test_the_city_s_finance_sees_it_once_and_it_is_audited(money, at_finance, caplog) -> None:
    c = _client(money.finance_a)
    detail = c.get(f"/subsidy/claims/{at_finance.pk}/").content.decode()
    assert 'data-testid="reveal-account-form"' in detail and ACCOUNT_DIGITS not in detail
    with caplog.at_level(logging.DEBUG), clock.freeze(REVEAL_DAY):
        r = c.post(f"/subsidy/claims/{at_finance.pk}/account/", {"reason": "拨付前核对收款帐号"})
    assert r.status_code == 200
    assert f'data-testid="full-account">{ACCOUNT_DIGITS}<' in r.content.decode()
    assert "no-store" in r["Cache-Control"]
    (event,) = _reveals(at_finance)
    assert event.actor_id == money.finance_a.pk and event.reason == "拨付前核对收款帐号"
    assert event.object_type.endswith("claim") and event.at.date() == REVEAL_DAY
    assert ACCOUNT_DIGITS not in f"{event.before}{event.after}{event.reason}"
    assert event.after == {"account": MASKED}
    assert ACCOUNT_DIGITS not in caplog.text
    # the page and the list go on showing the mask only
    for url in (f"/subsidy/claims/{at_finance.pk}/", "/subsidy/", "/api/v1/subsidy/claims"):
        assert ACCOUNT_DIGITS.encode() not in c.get(url).content
    # each reveal is its own audit row
    with clock.freeze(REVEAL_DAY):
        c.post(f"/subsidy/claims/{at_finance.pk}/account/", {"reason": "拨付"})
    assert _reveals(at_finance).count() == 2


def test_a_reason_is_required(money, at_finance) -> None:
    c = _client(money.finance_a)
    r = c.post(f"/subsidy/claims/{at_finance.pk}/account/", {"reason": "  "})
    assert r.status_code == 302 and ACCOUNT_DIGITS.encode() not in r.content
    page = c.get(r["Location"]).content.decode()
    assert "请填写查看完整银行帐号的事由" in page and ACCOUNT_DIGITS not in page
    assert not _reveals(at_finance).exists()
    assert c.get(f"/subsidy/claims/{at_finance.pk}/account/").status_code == 405


def test_every_other_role_and_scope_gets_nothing(money, make_user, applicant, at_finance) -> None:
    other_city = City.objects.create(code="419999", name="他市")
    outsiders = {
        "the applicant himself": (applicant, 403),
        "the programme office": (money.office, 403),
        "the county HR bureau": (money.w.hr_a, 403),
        "another county": (money.other_county_hr, 403),
        "the industry department": (money.w.industry_a, 403),
        "another department": (money.other_department, 403),
        "the institution that trained him": (money.w.applicant, 403),
        "the evaluator": (money.w.evaluator_user, 403),
        "another city's finance": (make_user(Role.FINANCE, city=other_city), 404),
        "another person": (worker(make_user, money.w.people[36]), 403),
    }
    for who, (user, status) in outsiders.items():
        c = _client(user)
        page = c.get(f"/subsidy/claims/{at_finance.pk}/").content.decode()
        assert 'data-testid="reveal-account-form"' not in page, who
        r = c.post(f"/subsidy/claims/{at_finance.pk}/account/", {"reason": "核对"})
        assert r.status_code == status, who
        assert ACCOUNT_DIGITS.encode() not in r.content, who
    assert not _reveals(at_finance).exists()
    with pytest.raises(PermissionDenied):
        services.individual_claim_reveal_account(
            actor=money.office, claim_id=at_finance.pk, reason="核对"
        )
    with pytest.raises(NotFound):
        services.individual_claim_reveal_account(
            actor=make_user(Role.FINANCE, city=other_city), claim_id=at_finance.pk, reason="核对"
        )


def test_not_before_the_finance_review_nor_for_an_institution_s_claim(
    money, applicant, make_user
) -> None:
    cert = outside_certificate(money, applicant.person)
    claim = apply(money, applicant, cert)
    with pytest.raises(ValidationError) as e:
        services.individual_claim_reveal_account(
            actor=money.finance_a, claim_id=claim.pk, reason="核对"
        )
    assert e.value.code == "not_at_finance"
    page = _client(money.finance_a).get(f"/subsidy/claims/{claim.pk}/")
    assert page.status_code == 200
    institution_claim = services.claim_calculate(
        actor=money.w.applicant, class_id=money.training_class.pk
    )
    with pytest.raises(NotFound):
        services.individual_claim_reveal_account(
            actor=money.finance_a, claim_id=institution_claim.pk, reason="核对"
        )
    r = _client(money.finance_a).post(
        f"/subsidy/claims/{institution_claim.pk}/account/", {"reason": "核对"}
    )
    assert r.status_code == 404
    assert not AuditEvent.objects.filter(action="claim.reveal_account").exists()


def test_revealed_for_a_paid_claim_it_stays_out_of_the_exports(money, applicant) -> None:
    from .individual import PAY_DAY, to_paid

    fund(money, "skills_upgrade_account", "100000")
    cert = outside_certificate(money, applicant.person)
    paid = to_paid(money, to_notice(money, apply(money, applicant, cert)))
    assert paid.status == "paid"
    c = _client(money.finance_a)
    with clock.freeze(PAY_DAY):
        r = c.post(f"/subsidy/claims/{paid.pk}/account/", {"reason": "对账"})
    assert ACCOUNT_DIGITS.encode() in r.content and _reveals(paid).count() == 1
    bulletin = "start=2022-07-01&end=2022-09-30"
    for url in (
        f"/subsidy/bulletin/?{bulletin}&format=xlsx",
        f"/subsidy/bulletin/?{bulletin}&format=pdf",
        f"/subsidy/bulletin/?{bulletin}",
        f"/api/v1/subsidy/claims/{paid.pk}",
        f"/subsidy/claims/{paid.pk}/",
    ):
        answer = c.get(url)
        assert answer.status_code == 200 and ACCOUNT_DIGITS.encode() not in answer.content, url
    assert paid.disbursement.payee_account_masked == MASKED
