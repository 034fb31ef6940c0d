"""Reads of the class lifecycle, always scoped by the actor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from django.db.models import Count, F, QuerySet

from chizheng.accounts.access import access_by_id, require, visible
from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.core.models import AuditEvent
from chizheng.core.review import Seen, may_take, open_steps_for, seen_of
from chizheng.plan.selectors import programmes_of_year
from chizheng.registry import selectors as registry_selectors
from chizheng.registry.models import Site, Teacher
from chizheng.rules import params
from chizheng.rules.decision import Decision, percent

from .inspection_plan import PlanItem as PlanItem  # re-exported: callers read through selectors
from .inspection_plan import effectively_supervised as effectively_supervised
from .inspection_plan import inspection_plan as inspection_plan
from .lists import class_list as class_list
from .models import (
    Attendance,
    ClassTransition,
    Enrolment,
    PureOnlineOccupation,
    Review,
    Session,
    Status,
    TrainingClass,
)
from .services.review import REVIEW_CHAIN


def class_get(*, actor: User, class_id: int) -> TrainingClass:
    return access_by_id(
        actor,
        TrainingClass.objects.select_related("institution__county", "department", "platform"),
        class_id,
    )


def class_form_choices(*, actor: User) -> dict[str, list[Any]]:
    """What an institution's class application may name: its own teachers and sites, the
    online platforms (any: a class may use any platform in the catalog) and this year's
    programmes of the plan."""
    own = {"institution_id": actor.institution_id}
    return {
        "teachers": [
            (t.pk, f"{t.name}{'（专职）' if t.full_time else ''}")
            for t in visible(actor, Teacher.objects.filter(**own))
        ],
        "sites": [(s.pk, s.name) for s in visible(actor, Site.objects.filter(**own))],
        "platforms": [(p.pk, p.name) for p in registry_selectors.platform_options()],
        "programmes": [
            (p.pk, f"{p.number}. {p.name}")
            for p in programmes_of_year(actor=actor, year=clock.today().year)
        ],
        # the training projects of the programmes (class.programme_tags), with their clause
        "tags": [
            (code, f"{t['name']}（{t['clause']}）")
            for code, t in params.current().value("class.programme_tags", clock.today()).items()
        ],
    }


def class_tag_names(*, training_class: TrainingClass) -> list[str]:
    """The names of the class's training projects (class.programme_tags at its start)."""
    known = params.current().value("class.programme_tags", training_class.start_date)
    return [
        known.get(code, {}).get("name", code)
        for code in training_class.tag_rows.values_list("code", flat=True)
    ]


def class_links(*, training_class: TrainingClass) -> dict[str, Any]:
    """What an application names besides its own fields (its edit form starts with them)."""
    return {
        "occupation_code": training_class.occupation_code,
        "platform_id": training_class.platform_id,
        "teacher_ids": list(training_class.teachers.values_list("pk", flat=True)),
        "site_ids": list(training_class.sites.values_list("pk", flat=True)),
        "tags": list(training_class.tag_rows.values_list("code", flat=True)),
    }


def evaluator_choices(*, training_class: TrainingClass) -> list[tuple[int, str]]:
    """The filed evaluation institutions that may assess the class's occupation (any county:
    the institution chooses its evaluator)."""
    return [
        (i.pk, f"{i.name}（{i.county.short_name}）")
        for i in registry_selectors.filed_evaluators(occupation_code=training_class.occupation_code)
    ]


def class_records(*, training_class: TrainingClass) -> dict[str, Any]:
    """The class page's records of a class the actor already reached through ``class_get``:
    its reviews, roster, sessions and who was present at each."""
    sessions = list(training_class.sessions.prefetch_related("attendance"))
    return {
        "reviews": training_class.reviews.select_related("reviewer"),
        "enrolments": training_class.enrolments.select_related("person"),
        "sessions": sessions,
        "present": {
            (a.session_id, a.enrolment_id)
            for s in sessions
            for a in s.attendance.all()
            if a.present
        },
    }


def class_enrolments(*, training_class: TrainingClass) -> QuerySet[Enrolment]:
    """The roster of a class the actor already reached through ``class_get``."""
    return training_class.enrolments.all()


def my_enrolments(*, actor: User) -> QuerySet[Enrolment]:
    """A trainee's own enrolments (others': those in the actor's scope), latest class first."""
    return visible(actor, Enrolment.objects.select_related("training_class__institution")).order_by(
        "-training_class__start_date"
    )


@dataclass(frozen=True)
class MyAttendance:
    """A trainee's sign-in on one class, in plain words for his phone."""

    enrolment: Enrolment
    signed_hours: int  # class hours of the offline sessions he is signed in to
    class_hours: int
    needed_hours: int  # to sit the final assessment at the policy's attendance rate (§21)

    @property
    def still_needed(self) -> int:
        return max(0, self.needed_hours - self.signed_hours)


def my_attendance(*, actor: User) -> list[MyAttendance]:
    """The actor's own classes with the hours he is signed in to (two queries)."""
    if actor.person_id is None:
        return []
    enrolments = list(my_enrolments(actor=actor).filter(person_id=actor.person_id)[:20])
    signed: dict[int, int] = {}
    for enrolment_id, hours in Attendance.objects.filter(
        enrolment__in=enrolments, present=True
    ).values_list("enrolment_id", "session__class_hours"):
        signed[enrolment_id] = signed.get(enrolment_id, 0) + hours
    out = []
    for e in enrolments:
        c = e.training_class
        rate = Decimal(str(params.current().value("attendance.min_rate", c.start_date)))
        needed = int((rate * c.class_hours).to_integral_value(rounding=ROUND_CEILING))
        out.append(MyAttendance(e, signed.get(e.pk, 0), c.class_hours, needed))
    return out


@dataclass(frozen=True)
class QueueItem:
    review: Review
    training_class: TrainingClass
    overdue: bool
    days_left: int  # calendar days to the deadline (negative when overdue)


def review_seen(*, training_class: TrainingClass) -> Seen | None:
    """The step pending on the class and its version: what a review request must name."""
    return seen_of(REVIEW_CHAIN, training_class)


def review_queue(*, actor: User, today: dt.date) -> list[QueueItem]:
    """The open review steps the actor may act on, ordered by deadline (one query)."""
    qs = (
        open_steps_for(actor=actor, chain=REVIEW_CHAIN)
        .select_related("training_class__institution__county", "training_class__department")
        .defer("training_class__decisions")  # not shown in a queue; a JSON document a class
        .order_by("due_on", "id")[:500]
    )
    return [
        QueueItem(r, r.training_class, r.due_on < today, (r.due_on - today).days)
        for r in qs
        if may_take(actor, REVIEW_CHAIN, r, r.training_class)
    ]


def overdue_reviews(*, actor: User, today: dt.date) -> QuerySet[Review]:
    """Open review steps past their deadline, in the actor's scope (for the office's dashboard)."""
    return (
        visible(actor, Review.objects.all())
        .filter(done_on__isnull=True, due_on__lt=today)
        .select_related("training_class__institution__county")
    )


def history(*, training_class: TrainingClass) -> QuerySet[ClassTransition]:
    return training_class.transitions.select_related("actor")


def status_counts(*, actor: User) -> dict[str, int]:
    rows = visible(actor, TrainingClass.objects.all()).values("status").annotate(n=Count("id"))
    counts = {s: 0 for s in Status.values}
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


def assessment_ahead_days(*, on: dt.date) -> int:
    """附件2: how many days ahead a final assessment must be registered, in force on ``on``
    (the day it was, or would be, registered: the day its rule is judged on)."""
    return int(params.current().value("assessment.min_days_registered_ahead", on))


def decision_summary(decisions: list[dict[str, Any]]) -> dict[str, Any]:
    """Class-level decisions in full; per-trainee ones only where they did not pass, the
    passes counted (80 trainees × 5 rules would bury what matters)."""
    main = [d for d in decisions if not d["rule"].startswith("trainee.")]
    trainee = [d for d in decisions if d["rule"].startswith("trainee.")]
    return {
        "decisions": main,
        "trainee_problems": [d for d in trainee if d["outcome"] != "pass"],
        "trainee_passed": sum(1 for d in trainee if d["outcome"] == "pass"),
        "trainee_total": len(trainee),
    }


def pure_online_list(*, actor: User) -> QuerySet[PureOnlineOccupation]:
    """The office's pure-online list, entries still in force or to come first, then those
    taken off (the list is the city's, read by everyone who may read it)."""
    require(actor, "pure_online.view")
    return visible(
        actor, PureOnlineOccupation.objects.select_related("occupation", "decided_by")
    ).order_by(F("valid_until").desc(nulls_first=True), "occupation__code", "valid_from")


def pure_online_history(*, actor: User, limit: int = 50) -> QuerySet[AuditEvent]:
    """The audit rows of the list's changes, newest first."""
    require(actor, "pure_online.view")
    return (
        AuditEvent.objects.filter(object_type=PureOnlineOccupation._meta.label_lower)
        .select_related("actor")
        .order_by("-seq")[:limit]
    )


@dataclass(frozen=True)
class Apprenticeship:
    """What a page shows of an apprenticeship class (企业新型学徒制): the §20(1) cap of the
    institution's apprentices in the occupation, and the subsidy per apprentice per year."""

    fulltime_teachers: int
    per_teacher: int
    cap: int
    apprentices: int  # at the institution in the occupation, this class included
    clause: str
    subsidy: list[tuple[str, Decimal]]  # (label, yuan per apprentice per year)
    subsidy_clause: str

    @property
    def over(self) -> bool:
        return self.apprentices > self.cap


def apprenticeship(*, training_class: TrainingClass) -> Apprenticeship:
    from chizheng.subsidy import standards  # the subsidy app reads classes: imported late

    on = training_class.start_date
    policy = params.current()
    per = policy.value("class.max_apprentices_per_fulltime_teacher", on)
    teachers = Teacher.objects.filter(
        institution_id=training_class.institution_id,
        full_time=True,
        active=True,
        occupations__code=training_class.occupation_code,
    ).count()
    apprentices = (
        Enrolment.objects.filter(
            training_class__institution_id=training_class.institution_id,
            training_class__occupation_code=training_class.occupation_code,
            training_class__mode="apprenticeship",
        )
        .exclude(training_class__status__in=["withdrawn", "rejected", "assessed"])
        .count()
    )
    standard = standards.standard_at(on, city_id=training_class.institution.county.city_id)
    items = [
        standard.items[k]
        for k in sorted(standard.items, reverse=True)
        if k.startswith(standards.APPRENTICESHIP_PREFIX)
    ]
    return Apprenticeship(
        fulltime_teachers=teachers,
        per_teacher=per,
        cap=teachers * per,
        apprentices=apprentices,
        clause=policy.version("class.max_apprentices_per_fulltime_teacher", on).clause,
        subsidy=[(i.label, i.amount) for i in items],
        subsidy_clause=items[0].clause if items else "",
    )


# --- recognised attendance (§19, §21) ---------------------------------------------------


@dataclass(frozen=True)
class SessionRecognition:
    """One offline session and the class hours §19's recording rules leave recognised."""

    session: Session
    ref: str
    class_hours: int
    recognised_hours: int
    reasons: tuple[str, ...]  # each failing recording rule: what it compared, its clause

    @property
    def recognised(self) -> bool:
        return self.recognised_hours == self.class_hours


@dataclass(frozen=True)
class TraineeRate:
    """One trainee's attendance rate (§21), as the rule ``attendance.rate`` decided it."""

    enrolment: Enrolment
    decision: Decision
    absent: tuple[str, ...]  # the sessions he did not sign in to

    def _value(self, key: str) -> Any:
        return self.decision.values[key]

    @property
    def passed(self) -> bool:
        return not self.decision.failed

    @property
    def rate(self) -> Decimal:
        return Decimal(self._value("rate"))

    @property
    def rate_shown(self) -> str:
        """Rounded down: a rate below the minimum never shows as the minimum."""
        return percent(self.rate, rounding=ROUND_FLOOR)

    @property
    def required(self) -> Decimal:
        return Decimal(self._value("required"))

    @property
    def attended_hours(self) -> int:
        return int(self._value("attended_hours"))

    @property
    def class_hours(self) -> int:
        return int(self._value("class_hours"))

    @property
    def required_hours(self) -> int:
        """The fewest whole class hours that reach the required rate."""
        needed = self.required * self.class_hours
        return int(needed.to_integral_value(rounding=ROUND_CEILING))

    @property
    def online_hours(self) -> int:
        return int(self._value("online_hours"))

    @property
    def makeup_hours(self) -> int:
        return int(self._value("makeup_hours"))


@dataclass(frozen=True)
class ClassAttendance:
    sessions: list[SessionRecognition]
    trainees: list[TraineeRate]
    required: Decimal
    clause: str
    on: dt.date  # the policy date

    @property
    def required_shown(self) -> str:
        return percent(self.required)

    @property
    def below(self) -> int:
        return sum(1 for t in self.trainees if not t.passed)


def class_attendance(*, training_class: TrainingClass) -> ClassAttendance:
    """Every trainee's recognised attendance on the class, and why a session is not (fully)
    recognised. Not scoped: for the services that have already reached the class through the
    access layer (the claim); pages call ``attendance_of``."""
    from chizheng.rules.evaluate import decide

    from . import facts

    found = facts.attendance_facts(training_class)
    at = params.current().at(found.on)
    sessions = [
        SessionRecognition(
            session=s,
            ref=sf.ref,
            class_hours=sf.class_hours,
            recognised_hours=hours,
            reasons=tuple(f"{d.compared}（{d.clause}）" for d in decide(sf, at) if d.failed),
        )
        for s, sf, hours in found.sessions
    ]
    trainees = []
    for enrolment, attendance in found.trainees:
        decision = next((d for d in decide(attendance, at) if d.rule == "attendance.rate"), None)
        if decision is None:  # a class of no class hours: nothing to count
            continue
        absent = tuple(s.ref for s in attendance.sessions if not s.present)
        trainees.append(TraineeRate(enrolment=enrolment, decision=decision, absent=absent))
    return ClassAttendance(
        sessions=sessions,
        trainees=trainees,
        required=at["attendance.min_rate"],
        clause=at.clause("attendance.min_rate"),
        on=found.on,
    )


def attendance_of(*, actor: User, training_class: TrainingClass) -> ClassAttendance:
    """``class_attendance`` for a reader of the class: another county's or institution's
    user gets ``NotFound``, as for the class itself."""
    access_by_id(actor, TrainingClass.objects.all(), training_class.pk)
    return class_attendance(training_class=training_class)
