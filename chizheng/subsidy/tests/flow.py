"""Moving a claim along its chain in tests, with the clock set for each step."""

from __future__ import annotations

import datetime as dt

from chizheng.core import clock
from chizheng.core.review import Seen
from chizheng.subsidy import selectors, services
from chizheng.subsidy.models import Claim

from .conftest import CLAIM_DAY, Money

# 2022-06-28 (Tue) submitted; industry 06-29 / 06-30; notice from 06-30 (Thu): five working
# days are 06-30, 07-01, 07-04, 07-05, 07-06 → may close on 07-07.
NOTICE_FROM = dt.date(2022, 6, 30)
NOTICE_LAST = dt.date(2022, 7, 6)
CLOSE_DAY = dt.date(2022, 7, 7)


def seen(claim: Claim | int) -> Seen:
    """What a reviewer who opens the claim now sees (the tests act as that reviewer)."""
    fresh = Claim.objects.get(pk=getattr(claim, "pk", claim))
    return selectors.review_seen(claim=fresh) or Seen(level="", step="", version=fresh.version)


def calculated(m: Money) -> Claim:
    with clock.freeze(CLAIM_DAY):
        return services.claim_calculate(actor=m.w.applicant, class_id=m.training_class.pk)


def submitted(m: Money) -> Claim:
    claim = calculated(m)
    with clock.freeze(CLAIM_DAY):
        return services.claim_submit(
            actor=m.w.applicant,
            claim_id=claim.pk,
            applicant_name="张校长",
            commitment=services.COMMITMENT,
        )


def on_notice(m: Money) -> Claim:
    claim = submitted(m)
    with clock.freeze(dt.date(2022, 6, 29)):
        services.claim_review(
            actor=m.w.industry_a, claim_id=claim.pk, seen=seen(claim), decision="approve"
        )
    with clock.freeze(NOTICE_FROM):
        services.claim_review(
            actor=m.w.industry_b, claim_id=claim.pk, seen=seen(claim), decision="approve"
        )
    claim.refresh_from_db()
    return claim


def approved(m: Money) -> Claim:
    claim = on_notice(m)
    with clock.freeze(CLOSE_DAY):
        services.notice_close(actor=m.w.hr_a, claim_id=claim.pk)
        services.claim_review(
            actor=m.w.hr_a, claim_id=claim.pk, seen=seen(claim), decision="approve"
        )
    with clock.freeze(CLOSE_DAY + dt.timedelta(days=1)):
        services.claim_review(
            actor=m.w.hr_b, claim_id=claim.pk, seen=seen(claim), decision="approve"
        )
    with clock.freeze(dt.date(2022, 7, 11)):
        services.claim_review(
            actor=m.finance_a, claim_id=claim.pk, seen=seen(claim), decision="approve"
        )
        services.claim_review(
            actor=m.finance_b, claim_id=claim.pk, seen=seen(claim), decision="approve"
        )
    claim.refresh_from_db()
    return claim
