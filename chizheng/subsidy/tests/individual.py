"""Individual claims in tests (附件2 备注2): a worker with a certificate of his own, trained
outside the system's classes or in the world's class, and his claim moved along the chain
with the clock set for each step (the dates of ``flow``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from chizheng.accounts.models import Role, User
from chizheng.assessment.models import Certificate
from chizheng.assessment.services import certificates_bulk_record
from chizheng.core import clock
from chizheng.registry.models import Person
from chizheng.subsidy import services
from chizheng.subsidy.models import Claim
from chizheng.training.tests.conftest import CODE

from .conftest import CLAIM_DAY, Money
from .flow import CLOSE_DAY, NOTICE_FROM, seen

ACCOUNT = "6222 0212 3456 7890 123"  # 19 digits, typed in groups
ACCOUNT_DIGITS = ACCOUNT.replace(" ", "")
MASKED = "6222***********0123"
BANK = "中国工商银行平顶山新华支行"
PAY_DAY = dt.date(2022, 7, 12)


def outside_certificate(
    m: Money, person: Person, *, number: str = "Y2022S0001", level: int = 4
) -> Certificate:
    """A skill-level certificate of ``CODE`` the world's evaluator issued to ``person`` for
    training outside the system's classes."""
    (cert,) = certificates_bulk_record(
        certificates=[
            Certificate(
                person=person,
                number=number,
                occupation_code=CODE,
                skill_level=level,
                kind=Certificate.Kind.SKILL_LEVEL,
                channel=Certificate.Channel.SOCIAL,
                issued_on=dt.date(2022, 6, 20),
                county=person.county,
                issuing_institution=m.w.evaluator,
            )
        ]
    )
    return cert


def worker(make_user: Any, person: Person) -> User:
    return make_user(Role.WORKER, person=person)


def apply(m: Money, actor: User, cert: Certificate, **kw: Any) -> Claim:
    """The worker applies on ``CLAIM_DAY`` (training outside the system: the world's school)."""
    values: dict[str, Any] = dict(
        certificate_id=cert.pk,
        bank_name=BANK,
        bank_account=ACCOUNT,
        commitment=services.COMMITMENT,
    )
    if cert.training_class_id is None:
        values["training_institution_id"] = m.w.institution.pk
    values.update(kw)
    with clock.freeze(CLAIM_DAY):
        return services.individual_claim_apply(actor=actor, **values)


def review(actor: User, claim: Claim, day: dt.date, decision: str = "approve") -> None:
    with clock.freeze(day):
        services.claim_review(
            actor=actor,
            claim_id=claim.pk,
            seen=seen(claim),
            decision=decision,
            opinion="" if decision == "approve" else "银行帐号与本人不符，请核对",
        )


def to_notice(m: Money, claim: Claim) -> Claim:
    review(m.w.industry_a, claim, dt.date(2022, 6, 29))
    review(m.w.industry_b, claim, NOTICE_FROM)
    claim.refresh_from_db()
    return claim


def to_paid(m: Money, claim: Claim) -> Claim:
    """From the notice (``to_notice`` first) to the payment."""
    with clock.freeze(CLOSE_DAY):
        services.notice_close(actor=m.w.hr_a, claim_id=claim.pk)
    review(m.w.hr_a, claim, CLOSE_DAY)
    review(m.w.hr_b, claim, CLOSE_DAY + dt.timedelta(days=1))
    review(m.finance_a, claim, dt.date(2022, 7, 11))
    review(m.finance_b, claim, dt.date(2022, 7, 11))
    with clock.freeze(PAY_DAY):
        services.claim_disburse(actor=m.finance_a, claim_id=claim.pk)
    claim.refresh_from_db()
    return claim
