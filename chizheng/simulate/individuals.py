"""The year's individual claims (附件2 备注2: 个人申请): a handful of workers who apply for the
subsidy of their own certificate themselves, each signed in as himself (``geren1`` …, the
demo's password), at the states a city would have on "today": paid, in HR review, on public
notice, in industry review, just submitted, returned for a wrong account. Four trained in a
class of the year its institution did not claim for; two trained outside the system's
classes (a catalog institution of their county) and were certified by the county's
evaluation institution. Every step through the services, by the users who take it, dated
no later than "today". Idempotent: a worker already made is skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from django.db import transaction

from chizheng.accounts.models import Role, User
from chizheng.assessment.models import Certificate
from chizheng.assessment.services import certificates_bulk_record
from chizheng.core import clock, ids
from chizheng.core.errors import DomainError
from chizheng.registry.models import Person
from chizheng.registry.services import person_register
from chizheng.subsidy import selectors, services
from chizheng.subsidy.models import Claim, ClaimStatus
from chizheng.training.models import Status, TrainingClass

from .actors import Actors, Trainer, user
from .classes import ClassDraw

# (state reached on "today", days before "today" he applied, trained outside the system)
PLAN: tuple[tuple[str, int, bool], ...] = (
    (ClaimStatus.PAID, 28, False),
    (ClaimStatus.HR_REVIEW, 16, False),
    (ClaimStatus.ON_NOTICE, 6, True),
    (ClaimStatus.RETURNED, 9, False),
    (ClaimStatus.INDUSTRY_FIRST, 3, False),
    (ClaimStatus.SUBMITTED, 1, True),
)
ORDER = [
    ClaimStatus.SUBMITTED,
    ClaimStatus.INDUSTRY_FIRST,
    ClaimStatus.ON_NOTICE,
    ClaimStatus.HR_REVIEW,
    ClaimStatus.HR_FIRST,
    ClaimStatus.FINANCE_REVIEW,
    ClaimStatus.FINANCE_FIRST,
    ClaimStatus.APPROVED,
    ClaimStatus.PAID,
]
NAMES = ("李建军", "赵桂兰", "孙志强", "周丽娟", "吴海涛", "郑雪梅")  # trained outside the classes
BANKS = (
    "中国农业银行平顶山分行",
    "中国工商银行平顶山分行",
    "平顶山银行",
    "中国邮政储蓄银行平顶山市分行",
)


def _review(actor: User, claim: Claim, day: dt.date, decision: str = "approve") -> None:
    with clock.freeze(day):
        seen = selectors.review_seen(claim=Claim.objects.get(pk=claim.pk))
        assert seen is not None
        services.claim_review(
            actor=actor,
            claim_id=claim.pk,
            decision=decision,
            opinion="同意"
            if decision == "approve"
            else "银行帐号户名与申请人不符，请核对后重新提交",
            seen=seen,
        )


def _advance(claim: Claim, target: str, day: dt.date, a: Actors, today: dt.date) -> None:
    """Take the claim along the chain from its submission on ``day`` up to ``target``, a
    step a day, never past ``today``."""
    industry = a.industry[claim.department_id]
    if target == ClaimStatus.RETURNED:
        _review(industry[0], claim, day + dt.timedelta(days=1), "return")
        return
    stop = ORDER.index(ClaimStatus(target))
    for k, (actor, state) in enumerate(((industry[0], 1), (industry[1], 2)), 1):
        if stop < state or day + dt.timedelta(days=k) > today:
            return
        _review(actor, claim, day + dt.timedelta(days=k))
    claim.refresh_from_db()
    assert claim.notice_earliest_end is not None
    day = claim.notice_earliest_end + dt.timedelta(days=1)
    hr = a.county_hr[claim.county_id]
    if stop < 3 or day > today:
        return
    with clock.freeze(day):
        services.notice_close(actor=hr[0], claim_id=claim.pk)
    steps = ((hr[0], 4), (hr[1], 5), (a.finance[0], 6), (a.finance[1], 7))
    for k, (actor, state) in enumerate(steps, 1):
        if stop < state or day + dt.timedelta(days=k) > today:
            return
        _review(actor, claim, day + dt.timedelta(days=k))
    day += dt.timedelta(days=len(steps) + 1)
    if stop < 8 or day > today:
        return
    with clock.freeze(day):
        services.claim_disburse(actor=a.finance[0], claim_id=claim.pk)


def _outside(
    n: int, a: Actors, trainers: list[Trainer], issued: dt.date
) -> tuple[Certificate, Trainer] | None:
    """A person certified by his county's evaluation institution after training with one of
    the county's catalog institutions outside the system's classes."""
    for t in trainers:
        codes = [code for code, since in t.catalog if since <= issued]
        if not codes:
            continue
        county = t.institution.county
        number = ids.make(county.code, dt.date(1988, 8, 8) + dt.timedelta(days=n), 800 + n)
        evaluator, _ = a.evaluators[county.pk]
        with clock.freeze(issued):  # registered with his certificate, nothing after "today"
            person = person_register(
                actor=None, name=NAMES[n % len(NAMES)], id_number=number, county=county
            )
            (cert,) = certificates_bulk_record(
                certificates=[
                    Certificate(
                        person=person,
                        number=f"Y{issued:%Y}{county.code}G{n:04d}",
                        occupation_code=codes[0],
                        skill_level=4,
                        kind=Certificate.Kind.SKILL_LEVEL,
                        channel=Certificate.Channel.SOCIAL,
                        issued_on=issued,
                        county=county,
                        issuing_institution=evaluator,
                    )
                ]
            )
        return cert, t
    return None


def _in_class(
    unclaimed: list[TrainingClass], applied: dt.date, taken: set[int]
) -> Iterator[Certificate]:
    """Certificates of the year's unclaimed classes issued before ``applied``, a class's
    first two, one class after another (read as they are needed)."""
    for k in unclaimed:
        for cert in (
            Certificate.objects.filter(training_class=k, issued_on__lt=applied)
            .select_related("person")
            .order_by("id")[:2]
        ):
            if cert.person_id not in taken:
                yield cert


@transaction.atomic
def _one(
    n: int,
    cert: Certificate,
    trainer_id: int | None,
    target: str,
    day: dt.date,
    a: Actors,
    today: dt.date,
) -> bool:
    person: Person = cert.person
    worker = user(f"geren{n}", person.name, Role.WORKER, person=person)
    try:
        with clock.freeze(day):
            claim = services.individual_claim_apply(
                actor=worker,
                certificate_id=cert.pk,
                training_institution_id=trainer_id,
                bank_name=BANKS[n % len(BANKS)],
                bank_account=f"62284800{person.pk:011d}",
                commitment=services.COMMITMENT,
            )
    except DomainError:  # already subsidised for that occupation and level: another one
        transaction.set_rollback(True)
        return False
    _advance(claim, target, day, a, today)
    return True


def run(
    draws: list[ClassDraw], a: Actors, *, today: dt.date, progress: Callable[[str], None]
) -> None:
    """The individual claims of the year of ``draws`` (skipped where made already)."""
    if not draws:
        return
    batches = [d.batch for d in draws]
    unclaimed = list(
        TrainingClass.objects.filter(batch__in=batches, status=Status.ASSESSED, claims__isnull=True)
        .select_related("institution__county")
        .order_by("start_date", "id")
    )
    taken: set[int] = set()
    for n, (target, before, outside) in enumerate(PLAN, 1):
        if User.objects.filter(username=f"geren{n}").exists():
            continue
        day = today - dt.timedelta(days=before)
        if outside:
            counties = sorted(c for c, trainers in a.trainers.items() if trainers)
            trainers = a.trainers[counties[n % len(counties)]] if counties else []
            with transaction.atomic():  # his certificate and his claim, or neither
                found = _outside(n, a, trainers, day - dt.timedelta(days=5))
                if found is not None and not _one(
                    n, found[0], found[1].institution.pk, target, day, a, today
                ):
                    transaction.set_rollback(True)
            continue
        for cert in _in_class(unclaimed, day, taken):
            taken.add(cert.person_id)
            if _one(n, cert, None, target, day, a, today):
                break
    progress(f"个人申请 {Claim.objects.filter(applicant_kind='individual').count()} 件")
