"""Demo subsidies of the 2022 city-year, made through the services on the demo's assessed
classes (``2022-演示-*``): one claim paid in April from two funds (the skills-upgrade special
account runs out), one on public notice with an open objection, one in industry review and
one calculated only; the six 2022 fund accounts with their budgets; electronic training
vouchers issued, bound to classes in training, and one expired.

Idempotent: nothing is made if a demo claim exists already.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from chizheng.accounts.models import Role, User
from chizheng.core import clock
from chizheng.org.models import Department
from chizheng.subsidy import selectors, services
from chizheng.subsidy.models import Claim, Voucher
from chizheng.training.models import TrainingClass

PASSWORD = "Chizheng@2022"

BUDGETS_2022 = {
    "skills_upgrade_account": "20000.00",  # small on purpose: the first claim splits
    "employment_subsidy": "800000.00",
    "unemployment_extraction": "300000.00",
    "unemployment_insurance": "500000.00",
    "local_talent": "200000.00",
    "industry_development": "100000.00",
}

OBJECTIONS = [
    "公示名单中有学员培训期间在外地务工，未实际参加培训，请核查。",
    "该班实操课程多次无人授课，补贴人数与实际不符。",
    "本人是该班学员，发现名单中有不认识的人员。",
]


def _user(username: str, display: str, role: str, **scope: object) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"role": role, "display_name": display, **scope}
    )
    if created:
        user.set_password(PASSWORD)
        user.save()
    return user


def _applicant(training_class: TrainingClass) -> User:
    user = (
        User.objects.filter(role=Role.INSTITUTION, institution=training_class.institution)
        .order_by("id")
        .first()
    )
    assert user is not None, f"no institution user for {training_class.institution}"
    return user


def _industry(training_class: TrainingClass) -> tuple[User, User]:
    d: Department = training_class.department
    return (
        _user(f"{d.code}1", f"{d.name} 初审", Role.INDUSTRY, department=d),
        _user(f"{d.code}2", f"{d.name} 复核", Role.INDUSTRY, department=d),
    )


@transaction.atomic
def build(*, rng: random.Random) -> None:
    classes = list(
        TrainingClass.objects.filter(status="assessed", batch__startswith="2022-演示").order_by(
            "start_date", "id"
        )
    )
    if not classes or Claim.objects.filter(training_class__batch__startswith="2022-演示").exists():
        return
    city = classes[0].institution.county.city
    office = _user("city", "市人社局 职业能力建设科", Role.PROGRAMME_OFFICE, city=city)
    office_b = _user("city2", "市人社局 复核", Role.PROGRAMME_OFFICE, city=city)
    finance = _user("finance", "市财政局", Role.FINANCE, city=city)
    finance_b = _user("finance2", "市财政局 复核", Role.FINANCE, city=city)

    with clock.freeze(dt.date(2022, 1, 10)):
        for source, amount in BUDGETS_2022.items():
            services.fund_budget(
                actor=finance,
                source=source,
                year=2022,
                amount=Decimal(amount),
                reason="2022年度预算",
            )

    def claim(training_class: TrainingClass, day: dt.date, submit: bool = True) -> Claim:
        with clock.freeze(day):
            c = services.claim_calculate(
                actor=_applicant(training_class), class_id=training_class.pk
            )
            if submit:
                services.claim_submit(
                    actor=_applicant(training_class),
                    claim_id=c.pk,
                    applicant_name=f"{training_class.institution.name} 负责人",
                    commitment=services.COMMITMENT,
                )
        return c

    def review(user: User, c: Claim, day: dt.date, opinion: str = "同意") -> None:
        with clock.freeze(day):
            fresh = Claim.objects.get(pk=c.pk)  # the reviewer opens the claim as it stands
            seen = selectors.review_seen(claim=fresh)
            assert seen is not None
            services.claim_review(
                actor=user, claim_id=c.pk, decision="approve", opinion=opinion, seen=seen
            )

    # 1. Paid in April, split across two funds, after a notice with one objection handled.
    first = classes[0]
    c = claim(first, dt.date(2022, 3, 22))
    ind = _industry(first)
    review(ind[0], c, dt.date(2022, 3, 23))
    review(ind[1], c, dt.date(2022, 3, 24))
    with clock.freeze(dt.date(2022, 3, 25)):
        o = services.objection_submit(claim_id=c.pk, text=OBJECTIONS[0], contact="139****0001")
    with clock.freeze(dt.date(2022, 3, 28)):
        services.objection_handle(
            actor=office,
            objection_id=o.pk,
            outcome="dismissed",
            handling="经调取签到记录和培训录像核查，该学员全程参训，异议不成立。",
        )
    with clock.freeze(dt.date(2022, 3, 31)):
        services.notice_close(actor=office, claim_id=c.pk)
    review(office, c, dt.date(2022, 3, 31))
    review(office_b, c, dt.date(2022, 4, 1))
    review(finance, c, dt.date(2022, 4, 7))
    review(finance_b, c, dt.date(2022, 4, 8))
    with clock.freeze(dt.date(2022, 4, 11)):
        services.claim_disburse(actor=finance, claim_id=c.pk)

    # 2. On public notice on the demo day (from 05-06), with an objection not yet handled.
    if len(classes) > 1:
        k = classes[1]
        c = claim(k, dt.date(2022, 4, 28))
        ind = _industry(k)
        review(ind[0], c, dt.date(2022, 5, 5))
        review(ind[1], c, dt.date(2022, 5, 6))
        with clock.freeze(dt.date(2022, 5, 9)):
            services.objection_submit(claim_id=c.pk, text=rng.choice(OBJECTIONS[1:]))

    # 3. In industry review: the first reviewer has agreed, the second has not yet.
    if len(classes) > 2:
        k = classes[2]
        c = claim(k, dt.date(2022, 4, 29))
        review(_industry(k)[0], c, dt.date(2022, 5, 5))

    # 4. Calculated, not yet submitted.
    for k in classes[3:]:
        claim(k, dt.date(2022, 5, 9), submit=False)

    _vouchers(rng, office)


def _vouchers(rng: random.Random, office: User) -> None:
    if Voucher.objects.exists():
        return
    training = list(
        TrainingClass.objects.filter(status="in_training", batch__startswith="2022-演示").order_by(
            "id"
        )
    )
    for training_class in training:
        enrolled = list(training_class.enrolments.select_related("person").order_by("id")[:6])
        applicant = _applicant(training_class)
        for e in enrolled:
            with clock.freeze(training_class.start_date - dt.timedelta(days=7)):
                v = services.voucher_issue(
                    actor=office, person_id=e.person_id, expires_on=dt.date(2022, 12, 31)
                )
            with clock.freeze(training_class.start_date):
                services.voucher_bind(
                    actor=applicant,
                    number=v.number,
                    class_id=training_class.pk,
                    person_id=e.person_id,
                )
    # Issued and not yet used; and one that expired unused.
    from chizheng.registry.models import Person

    bound = set(Voucher.objects.values_list("person_id", flat=True))
    spare = [p for p in Person.objects.order_by("id")[:60] if p.pk not in bound]
    rng.shuffle(spare)
    for n, p in enumerate(spare[:5]):
        expires = dt.date(2022, 4, 30) if n == 0 else dt.date(2022, 12, 31)
        with clock.freeze(dt.date(2022, 3, 1)):
            services.voucher_issue(actor=office, person_id=p.pk, expires_on=expires)
    services.vouchers_sweep(on=dt.date(2022, 5, 1))
