"""Reads of the supervision area: the rows each cross-check needs over a whole city-year,
read set-based (one or two queries per check, never one per record), and the findings an
actor may see.

The year's classes are those of the city's institutions whose period touches the year and
that went beyond an application (submitted and on; not drafts, returned, rejected or
withdrawn applications — the same classes §20(3)'s overlap rule counts at submission).
Personal data is read masked (the masked ID number, the masked phone and its blind index).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, When
from django.db.models.functions import Cast, Concat, Length, Substr

from chizheng.accounts.access import access_by_id, visible
from chizheng.accounts.models import User
from chizheng.assessment.models import Certificate
from chizheng.core import bank, crypto
from chizheng.online.models import OnlineLearner
from chizheng.org.models import City
from chizheng.registry.models import EvaluationScope, Person, Workstation
from chizheng.rules import facts as f
from chizheng.rules.crosscheck_rows import (
    AbsenceRow,
    AccountRow,
    CertificateRow,
    ClassAttendance,
    ClassEvidence,
    ClassRef,
    EnrolmentRow,
    IdFormRow,
    InspectionRow,
    IssuedRow,
    OnlineClaimRow,
    PhoneRow,
    SessionRow,
    SiteBooking,
    StillRow,
    TeacherBooking,
    VoucherLineRow,
)
from chizheng.subsidy.applicant import ApplicantKind
from chizheng.subsidy.models import Claim, ClaimLine, ClaimStatus, Voucher, VoucherStatus
from chizheng.training.facts import MODE_TO_DELIVERY
from chizheng.training.models import (
    Attendance,
    Enrolment,
    Inspection,
    Mode,
    Session,
    Status,
    Still,
    TrainingClass,
)

from .models import Finding

NOT_LIVE = (Status.DRAFT, Status.RETURNED, Status.REJECTED, Status.WITHDRAWN)
OFFLINE = (Session.Kind.THEORY, Session.Kind.PRACTICAL)


def city_of(*, city_id: int | None = None) -> City:
    qs = City.objects.order_by("id")
    city = qs.filter(pk=city_id).first() if city_id else qs.first()
    if city is None:
        from chizheng.core.errors import NotFound

        raise NotFound("没有该市的记录，请先运行 chizheng load_reference")
    return city


def year_classes(*, year: int, city: City) -> QuerySet[TrainingClass]:
    return TrainingClass.objects.filter(
        institution__county__city=city,
        start_date__lte=dt.date(year, 12, 31),
        end_date__gte=dt.date(year, 1, 1),
    ).exclude(status__in=NOT_LIVE)


def class_refs(classes: QuerySet[TrainingClass]) -> dict[int, ClassRef]:
    """One query: every class of the year as the findings name it."""
    rows = classes.values_list(
        "id",
        "batch",
        "occupation_name",
        "institution_id",
        "institution__name",
        "institution__county_id",
        "institution__county__short_name",
        "start_date",
        "end_date",
    )
    return {
        r[0]: ClassRef(
            id=r[0],
            label=f"{r[1]} {r[2]}",
            institution_id=r[3],
            institution=r[4],
            county_id=r[5],
            county=r[6],
            start=r[7],
            end=r[8],
        )
        for r in rows.iterator(chunk_size=5000)
    }


def _person(name: str, masked: str) -> str:
    return f"{name}（{masked}）"


def enrolment_rows(
    classes: QuerySet[TrainingClass], refs: dict[int, ClassRef]
) -> list[EnrolmentRow]:
    """The enrolments of people on two or more of the year's classes (two queries' worth:
    the repeated people as a subquery)."""
    on = Enrolment.objects.filter(training_class__in=classes)
    repeated = on.values("person_id").annotate(n=Count("id")).filter(n__gte=2).values("person_id")
    rows = on.filter(person_id__in=repeated).values_list(
        "person_id", "person__name", "person__id_masked", "training_class_id"
    )
    return [
        EnrolmentRow(person_id=p, person=_person(n, m), cls=refs[c])
        for p, n, m, c in rows.iterator(chunk_size=5000)
    ]


def inspection_rows(
    classes: QuerySet[TrainingClass], refs: dict[int, ClassRef]
) -> list[InspectionRow]:
    kinds = dict(Inspection.Kind.choices)
    rows = Inspection.objects.filter(training_class__in=classes).values_list(
        "id", "training_class_id", "kind", "held_on", "present", "signed_in"
    )
    return [
        InspectionRow(
            id=i, cls=refs[c], kind=str(kinds.get(k, k)), held_on=d, present=p, signed_in=s
        )
        for i, c, k, d, p, s in rows.iterator(chunk_size=5000)
    ]


def _session_facts(r: dict[str, Any], ref: ClassRef) -> f.Session:
    return f.Session(
        class_ref=ref.label,
        ref=str(r["id"]),
        kind=r["kind"],
        held_on=r["held_on"],
        class_hours=r["class_hours"],
        minutes=r["minutes"],
        recorded_minutes=r["recorded_minutes"],
        longest_recording_per_class_hour=tuple(int(m) for m in r["longest_continuous"] or ()),
        shows_all_trainees=r["shows_all_trainees"],
    )


SESSION_FIELDS = (
    "id",
    "training_class_id",
    "kind",
    "held_on",
    "class_hours",
    "minutes",
    "recorded_minutes",
    "longest_continuous",
    "shows_all_trainees",
)


def session_rows(classes: QuerySet[TrainingClass], refs: dict[int, ClassRef]) -> list[SessionRow]:
    """Every offline session of the year's classes, whether its class has a claim and how
    many signed in (three queries)."""
    sessions = Session.objects.filter(training_class__in=classes, kind__in=OFFLINE)
    claimed = set(
        Claim.objects.filter(training_class__in=classes).values_list("training_class_id", flat=True)
    )
    present = dict(
        Attendance.objects.filter(session__in=sessions, present=True)
        .values("session_id")
        .annotate(n=Count("id"))
        .values_list("session_id", "n")
    )
    out = []
    for r in sessions.values(*SESSION_FIELDS).iterator(chunk_size=5000):
        ref = refs[r["training_class_id"]]
        out.append(
            SessionRow(
                id=r["id"],
                cls=ref,
                facts=_session_facts(r, ref),
                claimed=ref.id in claimed,
                present=present.get(r["id"], 0),
            )
        )
    return out


def phone_rows(classes: QuerySet[TrainingClass], refs: dict[int, ClassRef]) -> list[PhoneRow]:
    """The trainees of the year whose phone's blind index is shared with another trainee
    (compared on the index; the number itself is never decrypted)."""
    on = Enrolment.objects.filter(training_class__in=classes).exclude(person__phone_index="")
    shared = (
        on.values("person__phone_index")
        .annotate(n=Count("person_id", distinct=True))
        .filter(n__gte=2)
        .values("person__phone_index")
    )
    rows = (
        on.filter(person__phone_index__in=shared)
        .order_by("person_id", "training_class_id")
        .values_list(
            "person_id",
            "person__name",
            "person__id_masked",
            "person__phone_index",
            "person__phone_masked",
            "training_class_id",
        )
    )
    return [
        PhoneRow(person_id=p, person=_person(n, m), phone_index=i, phone_masked=pm, cls=refs[c])
        for p, n, m, i, pm, c in rows.iterator(chunk_size=5000)
    ]


def certificate_rows(
    classes: QuerySet[TrainingClass], refs: dict[int, ClassRef]
) -> list[CertificateRow]:
    rows = Certificate.objects.filter(training_class__in=classes).values_list(
        "id",
        "number",
        "person__name",
        "person__id_masked",
        "issued_on",
        "training_class_id",
        "training_class__assessment__held_on",
    )
    return [
        CertificateRow(
            id=i, number=num, person=_person(n, m), issued_on=d, cls=refs[c], assessment_on=a
        )
        for i, num, n, m, d, c, a in rows.iterator(chunk_size=5000)
    ]


def teacher_rows(
    classes: QuerySet[TrainingClass], refs: dict[int, ClassRef]
) -> list[TeacherBooking]:
    """The bookings of teachers (by their ID-number blind index, across institutions) booked
    by two or more of the year's classes."""
    through = TrainingClass.teachers.through.objects.filter(trainingclass__in=classes)
    repeated = (
        through.values("teacher__id_index")
        .annotate(n=Count("trainingclass_id", distinct=True))
        .filter(n__gte=2)  # type: ignore[misc]  # the stubs do not see the annotation
        .values("teacher__id_index")
    )
    rows = through.filter(teacher__id_index__in=repeated).values_list(
        "teacher_id", "teacher__id_index", "teacher__name", "teacher__id_masked", "trainingclass_id"
    )
    return [
        TeacherBooking(teacher_id=t, identity=i, teacher=_person(n, m), cls=refs[c])
        for t, i, n, m, c in rows.iterator(chunk_size=5000)
    ]


def class_evidence_rows(
    classes: QuerySet[TrainingClass], refs: dict[int, ClassRef]
) -> list[ClassEvidence]:
    """The year's classes with certificates that train offline (not pure-online), each with
    its offline sessions (two queries)."""
    counts = dict(
        Certificate.objects.filter(training_class__in=classes.exclude(mode=Mode.ONLINE))
        .values("training_class_id")
        .annotate(n=Count("id"))
        .values_list("training_class_id", "n")
    )
    sessions: dict[int, list[f.Session]] = defaultdict(list)
    for r in (
        Session.objects.filter(training_class_id__in=list(counts), kind__in=OFFLINE)
        .values(*SESSION_FIELDS)
        .iterator(chunk_size=5000)
    ):
        ref = refs[r["training_class_id"]]
        sessions[ref.id].append(_session_facts(r, ref))
    return [
        ClassEvidence(cls=refs[c], certificates=n, sessions=tuple(sessions.get(c, ())))
        for c, n in counts.items()
    ]


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
    refs: dict[int, ClassRef], *, year: int, city: City
) -> list[IssuedRow]:
    """The year's certificates of filed evaluators for an occupation they have not filed, or
    at a level their filing leaves out — narrowed in the database (two queries and the
    scopes')."""
    issued = _year_issued(year=year, city=city)
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


def site_bookings(classes: QuerySet[TrainingClass], refs: dict[int, ClassRef]) -> list[SiteBooking]:
    """Every booking of a site by the year's classes, with the site's workstations for the
    class's occupation and the class's trainees (three queries)."""
    through = TrainingClass.sites.through.objects.filter(trainingclass__in=classes)
    bookings = list(
        through.values_list(
            "site_id", "site__name", "site__institution__name", "trainingclass_id",
            "trainingclass__occupation_code",
        )
    )  # fmt: skip
    counts = {
        (s, code): n
        for s, code, n in Workstation.objects.filter(
            site_id__in={b[0] for b in bookings}
        ).values_list("site_id", "occupation__code", "count")
    }
    trainees = dict(
        Enrolment.objects.filter(training_class__in=classes)
        .values("training_class_id")
        .annotate(n=Count("id"))
        .values_list("training_class_id", "n")
    )
    return [
        SiteBooking(
            site_id=s,
            site=f"{inst} {name}",
            occupation_code=code,
            workstations=counts.get((s, code), 0),
            cls=refs[c],
            trainees=trainees.get(c, 0),
        )
        for s, name, inst, c, code in bookings
    ]


def still_rows(classes: QuerySet[TrainingClass], refs: dict[int, ClassRef]) -> list[StillRow]:
    """Every evidence photo of the year's classes: where it is kept and its hash, never the
    image (one query)."""
    kinds = dict(Still.Kind.choices)
    session_kinds = dict(Session.Kind.choices)
    inspection_kinds = dict(Inspection.Kind.choices)
    rows = Still.objects.filter(training_class__in=classes).values_list(
        "id",
        "training_class_id",
        "kind",
        "session_id",
        "session__kind",
        "inspection_id",
        "inspection__kind",
        "taken_on",
        "phash",
    )
    out = []
    for pk, c, kind, session, session_kind, inspection, inspection_kind, on, phash in rows.iterator(
        chunk_size=5000
    ):
        if session is not None:
            owner, where = f"session:{session}", f"{on} {session_kinds.get(session_kind, '')}课次"
        else:
            owner = f"inspection:{inspection}"
            where = f"{on} {inspection_kinds.get(inspection_kind, '')}"
        out.append(
            StillRow(
                id=pk,
                cls=refs[c],
                kind=str(kinds.get(kind, kind)),
                owner=owner,
                where=where,
                taken_on=on,
                phash=phash,
            )
        )
    return out


# --- the findings an actor reads ------------------------------------------------------------


def finding_list(
    *,
    actor: User,
    year: int | None = None,
    kind: str = "",
    county: str = "",
    institution: int | None = None,
) -> QuerySet[Finding]:
    qs = visible(actor, Finding.objects.select_related("county", "institution"))
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if county:
        qs = qs.filter(county__code=county)
    if institution:
        qs = qs.filter(institution_id=institution)
    return qs.order_by("-score", "kind", "id")


def finding_get(*, actor: User, finding_id: int) -> Finding:
    return access_by_id(actor, Finding.objects.select_related("county", "institution"), finding_id)


def finding_years(*, actor: User) -> list[int]:
    return sorted(
        set(visible(actor, Finding.objects.all()).values_list("year", flat=True)), reverse=True
    )


def finding_institutions(*, actor: User) -> list[tuple[int, str]]:
    rows = (
        visible(actor, Finding.objects.filter(institution__isnull=False))
        .values_list("institution_id", "institution__name")
        .distinct()
        .order_by("institution__name")
    )
    return list(rows)


def findings_all(*, year: int) -> QuerySet[Finding]:
    """Every finding of a year (the command and the job: the system's own reading)."""
    return Finding.objects.filter(year=year).select_related("county", "institution")
