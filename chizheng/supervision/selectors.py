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
from typing import Any

from django.db.models import Count, QuerySet

from chizheng.accounts.access import access_by_id, visible
from chizheng.accounts.models import User
from chizheng.assessment.models import Certificate
from chizheng.org.models import City
from chizheng.registry.models import Workstation
from chizheng.rules import facts as f
from chizheng.rules.crosscheck_rows import (
    CertificateRow,
    ClassEvidence,
    ClassRef,
    EnrolmentRow,
    InspectionRow,
    PhoneRow,
    SessionRow,
    SiteBooking,
    StillRow,
    TeacherBooking,
)
from chizheng.subsidy.models import Claim
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
    state: str = "",
    county: str = "",
    institution: int | None = None,
) -> QuerySet[Finding]:
    qs = visible(actor, Finding.objects.select_related("county", "institution"))
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
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
