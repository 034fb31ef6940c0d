"""Reads of the rows the supervision scan's later checks need over a whole city-year (bank
accounts, ID forms, sign-in, online time and vouchers of claims, certificates by evaluators,
site bookings, evidence photos), set-based like ``selectors`` — one to three queries per
check, the candidates narrowed in the database first where the check allows it. Personal
data is read masked or as blind indexes, never decrypted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, When
from django.db.models.functions import Cast, Concat, Length, Substr

from chizheng.assessment.models import Certificate
from chizheng.core import bank, crypto
from chizheng.online.models import OnlineLearner
from chizheng.org.models import City
from chizheng.registry.models import EvaluationScope, Person
from chizheng.rules.crosscheck_rows import (
    AbsenceRow,
    AccountRow,
    ClassAttendance,
    ClassRef,
    IdFormRow,
    IssuedRow,
    OnlineClaimRow,
    VoucherLineRow,
)
from chizheng.subsidy.applicant import ApplicantKind
from chizheng.subsidy.models import Claim, ClaimLine, ClaimStatus, Voucher, VoucherStatus
from chizheng.training.facts import MODE_TO_DELIVERY
from chizheng.training.models import (
    Attendance,
    Enrolment,
    TrainingClass,
)

from .selectors import _person


def account_rows(
    classes: QuerySet[TrainingClass], refs: dict[int, ClassRef], *, year: int, city: City
) -> list[AccountRow]:
    """Every applicant's bank account of the year, by its blind index: people's own claims
    (the index stored with the claim; the number is never decrypted) and the accounts the
    year's class applications name (kept in clear on the application, indexed here the same
    way). Two queries."""
    out: list[AccountRow] = []
    own = (
        Claim.objects.filter(
            applicant_kind=ApplicantKind.INDIVIDUAL,
            county__city=city,
            calculated_on__year=year,
        )
        .exclude(bank_account_index="")
        .values_list(
            "person_id",
            "person__name",
            "person__id_masked",
            "bank_account_index",
            "bank_account_masked",
            "county_id",
            "trained_by_id",
            "training_class_id",
        )
    )
    for p, n, m, index, masked, county, trained_by, c in own.iterator(chunk_size=5000):
        out.append(
            AccountRow(
                applicant=f"person:{p}",
                applicant_label=_person(n, m),
                account_index=index,
                account_masked=masked,
                source="个人申请",
                county_id=county,
                institution_id=trained_by,
                cls=refs.get(c) if c else None,
            )
        )
    index_of: dict[str, str] = {}
    for c, account in classes.exclude(bank_account="").values_list("id", "bank_account"):
        number = bank.normalise_account(account)
        if not number:
            continue
        if number not in index_of:
            index_of[number] = crypto.blind_index(number)
        ref = refs[c]
        out.append(
            AccountRow(
                applicant=f"institution:{ref.institution_id}",
                applicant_label=ref.institution,
                account_index=index_of[number],
                account_masked=bank.mask_account(number),
                source="开班申请",
                county_id=ref.county_id,
                institution_id=ref.institution_id,
                cls=ref,
            )
        )
    return out


def id_form_rows(
    classes: QuerySet[TrainingClass], refs: dict[int, ClassRef], *, city: City
) -> list[IdFormRow]:
    """The city's people whose ID number's region, birth date and sequence (read from the
    masked form: ``crosschecks.id_form_key``) are another person record's too, narrowed in
    the database (one grouped subquery), each with the year's classes he is on."""
    key = Concat(
        Substr("id_masked", 1, 6),
        Cast("birth_date", CharField()),
        Case(
            When(masked_length=15, then=Substr("id_masked", 13, 3)),
            default=Substr("id_masked", 15, 3),
        ),
        output_field=CharField(),
    )
    people = (
        Person.objects.filter(county__city=city)
        .annotate(masked_length=Length("id_masked"))
        .annotate(form_key=key)
    )
    shared = people.values("form_key").annotate(n=Count("id")).filter(n__gte=2).values("form_key")
    rows = list(
        people.filter(form_key__in=shared).values_list(
            "id", "name", "id_masked", "birth_date", "county_id"
        )
    )
    on: dict[int, list[ClassRef]] = defaultdict(list)
    for p, c in Enrolment.objects.filter(
        training_class__in=classes, person_id__in=[r[0] for r in rows]
    ).values_list("person_id", "training_class_id"):
        on[p].append(refs[c])
    return [
        IdFormRow(
            person_id=p,
            person=_person(n, m),
            id_masked=m,
            birth_date=b,
            county_id=county,
            classes=tuple(sorted(on.get(p, ()), key=lambda r: r.id)),
        )
        for p, n, m, b, county in rows
    ]


def class_attendance_rows(
    classes: QuerySet[TrainingClass], refs: dict[int, ClassRef]
) -> list[ClassAttendance]:
    """Each class's sign-in totals over its recorded sessions (one grouped query)."""
    rows = (
        Attendance.objects.filter(session__training_class__in=classes)
        .values("session__training_class_id")
        .annotate(
            trainees=Count("enrolment_id", distinct=True),
            sessions=Count("session_id", distinct=True),
            signed=Count("id"),
            absent=Count("id", filter=Q(present=False)),
        )
        .values_list("session__training_class_id", "trainees", "sessions", "signed", "absent")
    )
    return [
        ClassAttendance(cls=refs[c], trainees=t, sessions=s, signed=n, absent=a)
        for c, t, s, n, a in rows.iterator(chunk_size=5000)
    ]


def absence_rows(classes: QuerySet[TrainingClass], refs: dict[int, ClassRef]) -> list[AbsenceRow]:
    """Each trainee's absences from the year's sessions (the absent sign-in rows only)."""
    rows = (
        Attendance.objects.filter(session__training_class__in=classes, present=False)
        .order_by("enrolment_id", "session__held_on", "session_id")
        .values_list(
            "enrolment__person_id",
            "enrolment__person__name",
            "enrolment__person__id_masked",
            "session__training_class_id",
            "session_id",
            "session__held_on",
        )
    )
    missed: dict[tuple[int, int], list[tuple[int, dt.date]]] = defaultdict(list)
    label: dict[int, str] = {}
    for p, n, m, c, s, d in rows.iterator(chunk_size=5000):
        missed[(p, c)].append((s, d))
        label[p] = _person(n, m)
    return [
        AbsenceRow(person_id=p, person=label[p], cls=refs[c], missed=tuple(ms))
        for (p, c), ms in missed.items()
    ]


def _counted_online(calculation: dict[str, Any]) -> dict[int, int | None]:
    """person → the online class hours a claim's calculation counted (None: not recorded)."""
    out: dict[int, int | None] = {}
    for t in (calculation.get("inputs") or {}).get("trainees", ()):
        attendance = t.get("attendance") or {}
        hours = attendance.get("online_hours")
        out[int(t["person_id"])] = None if hours is None else int(Decimal(str(hours)))
    return out


def online_claim_rows(
    classes: QuerySet[TrainingClass], refs: dict[int, ClassRef]
) -> list[OnlineClaimRow]:
    """The payable claim lines of trainees whose online record has voided time, with the
    online hours the claim counted (read from the calculations of those claims only) — the
    learners with void time narrowed in the database first (three queries)."""
    learners = {
        (c, p): (credited, void, audited)
        for c, p, credited, void, audited in OnlineLearner.objects.filter(
            enrolment__training_class__in=classes, void_s__gt=0
        ).values_list(
            "enrolment__training_class_id",
            "enrolment__person_id",
            "credited_hours",
            "void_s",
            "audited_at",
        )
    }
    if not learners:
        return []
    lines = [
        r
        for r in ClaimLine.objects.filter(
            payable=True,
            claim__training_class__in=classes,
            person_id__in={p for _, p in learners},
        )
        .exclude(claim__status__in=(ClaimStatus.REJECTED,))
        .values_list(
            "id",
            "claim_id",
            "claim__status",
            "person_id",
            "person__name",
            "person__id_masked",
            "claim__training_class_id",
            "amount",
            "claim__training_class__mode",
            "claim__training_class__class_hours",
            "claim__training_class__online_theory_hours",
        )
        if (r[6], r[3]) in learners
    ]
    counted = {
        pk: _counted_online(calc)
        for pk, calc in Claim.objects.filter(pk__in={r[1] for r in lines}).values_list(
            "id", "calculation"
        )
    }
    statuses = dict(ClaimStatus.choices)
    out = []
    for line, claim, status, p, n, m, c, amount, mode, hours, online_hours in lines:
        credited, void, audited = learners[(c, p)]
        out.append(
            OnlineClaimRow(
                line_id=line,
                claim_id=claim,
                claim_status=str(statuses.get(status, status)),
                person_id=p,
                person=_person(n, m),
                cls=refs[c],
                amount=amount,
                counted_hours=counted.get(claim, {}).get(p),
                credited_hours=credited,
                planned_hours=hours if MODE_TO_DELIVERY[mode] == "online" else online_hours,
                void_seconds=void,
                audited_on=audited.date() if audited else None,
            )
        )
    return out


def voucher_line_rows(
    classes: QuerySet[TrainingClass], refs: dict[int, ClassRef]
) -> list[VoucherLineRow]:
    """The paid lines of institutions' claims whose trainee holds a voucher bound to the
    class (two queries: the vouchers bound to the year's classes, the paid lines of those
    classes' trainees)."""
    bound: dict[tuple[int, int], list[tuple[int, str, str]]] = defaultdict(list)
    for pk, number, status, c, p in (
        Voucher.objects.filter(training_class__in=classes)
        .order_by("id")
        .values_list("id", "number", "status", "training_class_id", "person_id")
    ):
        bound[(c, p)].append((pk, number, status))
    if not bound:
        return []
    labels = dict(VoucherStatus.choices)
    out = []
    for line, claim, p, n, m, c, amount, paid_on, line_voucher in (
        ClaimLine.objects.filter(
            payable=True,
            claim__status=ClaimStatus.PAID,
            claim__applicant_kind=ApplicantKind.INSTITUTION,
            claim__training_class__in=classes,
            person_id__in={p for _, p in bound},
        )
        .order_by("id")
        .values_list(
            "id",
            "claim_id",
            "person_id",
            "person__name",
            "person__id_masked",
            "claim__training_class_id",
            "amount",
            "claim__disbursement__paid_on",
            "voucher_id",
        )
    ):
        held = bound.get((c, p))
        if not held:
            continue
        # the voucher the line names, else a redeemed one, else the latest bound
        pk, number, status = next(
            (v for v in held if v[0] == line_voucher),
            next((v for v in held if v[2] == VoucherStatus.REDEEMED), held[-1]),
        )
        out.append(
            VoucherLineRow(
                line_id=line,
                claim_id=claim,
                person_id=p,
                person=_person(n, m),
                cls=refs[c],
                amount=amount,
                paid_on=paid_on,
                voucher_id=pk,
                voucher_number=number,
                voucher_status=status,
                voucher_status_label=str(labels.get(status, status)),
                line_voucher_id=line_voucher,
            )
        )
    return out


ALL_LEVELS = frozenset((1, 2, 3, 4, 5))


def _year_issued(*, year: int, city: City) -> QuerySet[Certificate]:
    """The year's certificates issued by the city's filed evaluation institutions."""
    return Certificate.objects.filter(
        issued_on__year=year,
        issuing_institution__county__city=city,
    ).exclude(issuing_institution__evaluator_kind="")


def _issued(
    qs: QuerySet[Certificate], refs: dict[int, ClassRef], scopes: dict[tuple[int, str], list[int]]
) -> list[IssuedRow]:
    rows = qs.order_by("id").values_list(
        "id",
        "number",
        "person__name",
        "person__id_masked",
        "issuing_institution_id",
        "issuing_institution__name",
        "issuing_institution__county_id",
        "occupation_code",
        "skill_level",
        "issued_on",
        "training_class_id",
    )
    out = []
    for pk, number, n, m, e, name, county, code, level, on, c in rows.iterator(chunk_size=5000):
        levels = scopes.get((e, code))
        out.append(
            IssuedRow(
                id=pk,
                number=number,
                person=_person(n, m),
                evaluator_id=e,
                evaluator=name,
                county_id=county,
                occupation_code=code,
                skill_level=level,
                issued_on=on,
                filed_levels=tuple(levels) if levels is not None else None,
                cls=refs.get(c) if c else None,
            )
        )
    return out


def issued_out_of_scope_rows(
    classes: QuerySet[TrainingClass], refs: dict[int, ClassRef], *, year: int, city: City
) -> list[IssuedRow]:
    """The certificates of the year's classes issued by filed evaluators for an occupation
    they have not filed, or at a level their filing leaves out — narrowed in the database
    (two queries and the scopes'). An evaluator's own evaluations outside the classes are
    left to its filing review: the registry's scopes are not recorded for all of them."""
    issued = _year_issued(year=year, city=city).filter(training_class__in=classes)
    scopes = {
        (i, code): [int(x) for x in levels or ()]
        for i, code, levels in EvaluationScope.objects.filter(
            institution__in=issued.values("issuing_institution")
        ).values_list("institution_id", "occupation__code", "levels")
    }
    filed = EvaluationScope.objects.filter(
        institution_id=OuterRef("issuing_institution_id"),
        occupation__code=OuterRef("occupation_code"),
    )
    outside = Q(~Exists(filed))
    for (i, code), levels in scopes.items():
        missing = sorted(ALL_LEVELS - set(levels))
        if missing:
            outside |= Q(issuing_institution_id=i, occupation_code=code, skill_level__in=missing)
    return _issued(issued.filter(outside), refs, scopes)


def issued_busy_day_rows(
    refs: dict[int, ClassRef], *, year: int, city: City, above: int
) -> list[IssuedRow]:
    """The certificates of the days on which a filed evaluator certified more than ``above``
    people (the days narrowed in the database: one grouped query, then theirs)."""
    issued = _year_issued(year=year, city=city)
    busy = list(
        issued.values("issuing_institution_id", "issued_on")
        .annotate(n=Count("person_id", distinct=True))
        .filter(n__gt=above)
        .values_list("issuing_institution_id", "issued_on")
    )
    if not busy:
        return []
    on_day = Q()
    for i, day in busy:
        on_day |= Q(issuing_institution_id=i, issued_on=day)
    return _issued(issued.filter(on_day), refs, {})
