"""Finding 4 of issue 11, for the claim review chain: a review request names the step and
the version of the claim the reviewer saw; a stale one is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from chizheng.core import clock
from chizheng.core.errors import DomainError
from chizheng.core.review import Seen
from chizheng.subsidy import selectors, services
from chizheng.subsidy.models import ClaimStatus

from .flow import submitted

pytestmark = pytest.mark.django_db


def test_two_approvals_of_the_same_seen_version_complete_one_step(money) -> None:
    claim = submitted(money)
    seen = selectors.review_seen(claim=claim)
    assert seen is not None
    assert seen == Seen(level="industry", step="first", version=claim.version)
    with clock.freeze(dt.date(2022, 6, 29)):
        services.claim_review(
            actor=money.w.industry_a, claim_id=claim.pk, decision="approve", seen=seen
        )
        with pytest.raises(DomainError) as refused:
            services.claim_review(
                actor=money.w.industry_b, claim_id=claim.pk, decision="approve", seen=seen
            )
    assert refused.value.code == "stale_review"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.INDUSTRY_FIRST
    assert claim.reviews.get(level="industry", step="second").done_on is None


def test_a_request_naming_the_wrong_step_is_refused(money) -> None:
    claim = submitted(money)
    wrong = Seen(level="finance", step="first", version=claim.version)
    with clock.freeze(dt.date(2022, 6, 29)), pytest.raises(DomainError) as refused:
        services.claim_review(
            actor=money.w.industry_a, claim_id=claim.pk, decision="approve", seen=wrong
        )
    assert refused.value.code == "wrong_step"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_the_page_and_the_api_carry_the_step_and_version(money) -> None:
    claim = submitted(money)
    client = Client()
    client.force_login(money.w.industry_a)
    with clock.freeze(dt.date(2022, 6, 29)):
        page = client.get(f"/subsidy/claims/{claim.pk}/").content.decode()
        assert f'name="version" value="{claim.version}"' in page
        assert 'name="level" value="industry"' in page and 'name="step" value="first"' in page
        out = client.get(f"/api/v1/subsidy/claims/{claim.pk}").json()
        assert (out["version"], out["review_level"], out["review_step"]) == (
            claim.version,
            "industry",
            "first",
        )
        body = {
            "decision": "approve",
            "level": "industry",
            "step": "first",
            "version": claim.version,
        }
        r = client.post(
            f"/api/v1/subsidy/claims/{claim.pk}/review", body, content_type="application/json"
        )
        assert r.status_code == 200, r.content
        other = Client()
        other.force_login(money.w.industry_b)
        r = other.post(
            f"/api/v1/subsidy/claims/{claim.pk}/review", body, content_type="application/json"
        )
        assert r.status_code == 409 and r.json()["code"] == "stale_review"
        form = {**body, "version": str(claim.version), "opinion": ""}
        stale = other.post(f"/subsidy/claims/{claim.pk}/review/", form, follow=True)
        assert "刷新" in stale.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.INDUSTRY_FIRST
