"""The scan's last four kinds, planted in records the year has already certified or paid,
with the truth beside them (``Planted``):

- **certificates with no recognised session** (§19): an assessed class that did not claim
  loses its session records — the county finds its sign-in sheets fabricated and strikes
  them off (the rows deleted, as such a correction leaves them): its certificates stand on
  no training shown;
- **an evaluator over its daily capacity** (§20(4)): on the day an evaluation institution
  certifies a simulated class it also certifies, by social evaluation (社会培训评价, no
  class), enough newly registered people to pass the policy's daily capacity — a
  certificate mill (``assessment.certificates_bulk_record``);
- **a claim counting online time the audit voided** (§20(3)): after the claim, the platform
  re-sends a batch of a trainee's events its first upload missed — two lessons played in a
  second window beside two others (``online_logs.second_windows``) — and the nightly audit,
  run again on the store, voids the time the claim counted;
- **a paid line whose voucher was not redeemed** (§20(5)): a trainee whose voucher was
  redeemed by his class's paid claim has it put back to "certified" and the line unbound
  (a back-office reversal), so he holds a usable voucher for a training already paid. The
  books' own check (``check-books``, ``voucher_redeemed``) reports this one too.

Each in a simulated class not planted already, chosen in the order of the classes' batches
shuffled by the seed; a re-run plants nothing twice.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from chizheng.accounts.models import User
from chizheng.assessment.models import Certificate
from chizheng.assessment.services import certificates_bulk_record
from chizheng.core import clock, ids
from chizheng.online.models import OnlineLearner, PlatformCode
from chizheng.org.models import County
from chizheng.registry.services import people_register
from chizheng.rules import params
from chizheng.subsidy.models import ClaimLine, ClaimStatus, Voucher, VoucherStatus
from chizheng.training.models import Session, TrainingClass
from chizheng.training.stills import Still

from . import online_logs
from .classes import GIVEN, SURNAMES
from .models import Planted
from .plants import _subject

VOIDED_HOURS = 2  # class hours the later audit voids (above the policy's threshold of 1)
MILL_BORN = dt.date(1966, 3, 1)  # the mill's people: born apart from the simulated trainees
# Planted kinds whose evidence is not the class's sessions: a class planted with one of them
# may lose its sessions, or be certified beside a mill, and still show it.
SESSIONS_UNUSED = frozenset(
    {
        Planted.Kind.CERTIFICATE_BEFORE_END,
        Planted.Kind.SEVERAL_ID_FORMS,
        Planted.Kind.SHARED_BANK_ACCOUNT,
        Planted.Kind.EVALUATOR_OUT_OF_SCOPE,
        Planted.Kind.WORKSTATIONS_OVERBOOKED,
        Planted.Kind.SHARED_PHONE,
    }
)


def without_session(c: TrainingClass, today: dt.date) -> Planted | None:
    """``c``'s sessions struck off; only a class with certificates, no claim and no kept
    still or makeup (nothing else stands on its sessions)."""
    sessions = Session.objects.filter(training_class=c)
    if (
        not Certificate.objects.filter(training_class=c).exists()
        or ClaimLine.objects.filter(claim__training_class=c).exists()
        or Still.objects.filter(session__training_class=c).exists()
        or not sessions.exists()
    ):
        return None
    n = sessions.count()
    sessions.delete()
    return Planted(
        kind=Planted.Kind.CERTIFICATES_WITHOUT_SESSION,
        clause="§19",
        training_class=c,
        subjects=[_subject("class", c.pk, c.batch)],
        planted_on=today,
        found_by=f"监督核查 certificates_without_session（{n} 次课的签到记录被核销）",
    )


def over_capacity(c: TrainingClass, today: dt.date) -> Planted | None:
    """On the day ``c`` was certified, its evaluator certifies enough registered people by
    social evaluation to pass the daily capacity."""
    first = (
        Certificate.objects.filter(training_class=c, skill_level__isnull=False)
        .select_related("issuing_institution")
        .order_by("id")
        .first()
    )
    if first is None or first.issued_on > today:
        return None
    evaluator, day = first.issuing_institution, first.issued_on
    capacity = int(params.current().value("supervision.evaluator_daily_capacity", day))
    that_day = (
        Certificate.objects.filter(issuing_institution=evaluator, issued_on=day)
        .values("person_id")
        .distinct()
        .count()
    )
    wanted = capacity + 1 - that_day
    if wanted <= 0:
        return None
    county = County.objects.get(pk=evaluator.county_id)
    rows = [
        (
            SURNAMES[k % len(SURNAMES)] + GIVEN[k * 7 % len(GIVEN)] + GIVEN[k * 13 % len(GIVEN)],
            ids.make(county.code, MILL_BORN + dt.timedelta(days=c.pk % 900 + k // 1000), k % 1000),
        )
        for k in range(wanted)
    ]
    with clock.freeze(day):
        people = people_register(actor=None, county=county, people=rows)
        certificates_bulk_record(
            certificates=[
                Certificate(
                    person=p,
                    number=f"SH{day:%Y%m%d}{evaluator.pk:04d}{k:04d}",
                    occupation_code=first.occupation_code,
                    skill_level=first.skill_level,
                    kind=first.kind,
                    channel=Certificate.Channel.SOCIAL,
                    issued_on=day,
                    county=county,
                    issuing_institution=evaluator,
                )
                for k, p in enumerate(people)
            ]
        )
    return Planted(
        kind=Planted.Kind.EVALUATOR_OVER_CAPACITY,
        clause="§20(4)",
        training_class=c,
        subjects=[
            _subject("institution", evaluator.pk, evaluator.name),
            _subject("class", c.pk, c.batch),
        ],
        planted_on=day,
        found_by=f"监督核查 evaluator_over_capacity（{day} 另以社会评价发证 {wanted} 人，"
        f"当天共 {that_day + wanted} 人 > {capacity} 人）",
    )


def voided_online(c: TrainingClass, today: dt.date) -> Planted | None:
    """A payable line of ``c``'s claim whose trainee's online record shows no void time and
    at least the hours to void; the later audit voids ``VOIDED_HOURS`` of them."""
    line = (
        ClaimLine.objects.filter(
            payable=True,
            claim__training_class=c,
            person__enrolments__training_class=c,
            person__enrolments__online__void_s=0,
            person__enrolments__online__credited_hours__gte=VOIDED_HOURS,
        )
        .exclude(claim__status=ClaimStatus.REJECTED)
        .select_related("person")
        .order_by("id")
        .first()
    )
    if line is None:
        return None
    learner = OnlineLearner.objects.get(enrolment__training_class=c, enrolment__person=line.person)
    code = (
        PlatformCode.objects.filter(institution_id=c.platform_id).first() if c.platform_id else None
    )
    if code is None:
        return None
    log = online_logs.second_windows(
        c, learner.learner_key, pairs=VOIDED_HOURS, today=today, code=code.code
    )
    online_logs.resend(c, log, today=today)  # stored once: a store kept from a run before holds it
    learner.refresh_from_db()
    if learner.void_s <= 0:
        return None
    return Planted(
        kind=Planted.Kind.VOIDED_ONLINE_CLAIMED,
        clause="§20(3)",
        training_class=c,
        subjects=[
            _subject("person", line.person_id, f"{line.person.name}（{line.person.id_masked}）"),
            _subject("claim", line.claim_id, f"补贴申领 {line.claim_id}"),
        ],
        planted_on=today,
        found_by=f"监督核查 voided_online_claimed（平台补传的学习记录显示多窗口学习，重新审计作废 "
        f"{learner.void_s} 秒）",
    )


def voucher_reversed(c: TrainingClass, today: dt.date) -> Planted | None:
    """A paid line of ``c``'s claim that redeemed its trainee's voucher: the redemption
    reversed, the voucher usable again (not a trainee with a login: the demo's holder of a
    redeemed voucher keeps his)."""
    line = (
        ClaimLine.objects.filter(
            claim__training_class=c,
            claim__status=ClaimStatus.PAID,
            payable=True,
            voucher__status=VoucherStatus.REDEEMED,
        )
        .exclude(person__in=User.objects.filter(person__isnull=False).values("person"))
        .select_related("voucher", "person")
        .order_by("id")
        .first()
    )
    if line is None or line.voucher is None:
        return None
    voucher = line.voucher
    Voucher.objects.filter(pk=voucher.pk).update(status=VoucherStatus.CERTIFIED)
    ClaimLine.objects.filter(pk=line.pk).update(voucher=None)
    return Planted(
        kind=Planted.Kind.VOUCHER_NOT_REDEEMED,
        clause="§20(5)",
        training_class=c,
        subjects=[
            _subject("person", line.person_id, f"{line.person.name}（{line.person.id_masked}）"),
            _subject("voucher", voucher.pk, voucher.number),
        ],
        planted_on=today,
        found_by="监督核查 voucher_not_redeemed（本班补贴已拨付，学员的培训券被改回“已取证”）；"
        "check-books voucher_redeemed 同样报告",
    )


def claimed_first(pool: list[TrainingClass]) -> list[TrainingClass]:
    """``pool`` with the classes that have claim lines first (kept in order otherwise)."""
    claimed = set(
        ClaimLine.objects.filter(claim__training_class__in=pool)
        .values("claim__training_class")
        .annotate(n=Count("id"))
        .values_list("claim__training_class", flat=True)
    )
    return [c for c in pool if c.pk in claimed] + [c for c in pool if c.pk not in claimed]


__all__ = [
    "SESSIONS_UNUSED",
    "claimed_first",
    "over_capacity",
    "voided_online",
    "voucher_reversed",
    "without_session",
]
