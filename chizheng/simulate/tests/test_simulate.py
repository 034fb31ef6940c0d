"""The simulation on a tiny scale: every class state reached, the same seed the same year,
nothing dated after "today", the books balanced, and a second run adds nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.utils import timezone

from chizheng import demo
from chizheng.assessment.models import Certificate
from chizheng.books import checks
from chizheng.competitions.models import Contestant, Event
from chizheng.core.models import AuditEvent
from chizheng.org.models import County
from chizheng.simulate import actors, run
from chizheng.simulate.models import Planted
from chizheng.simulate.scale import CLASS_STATES, SLICE, Scale
from chizheng.simulate.tests.books import broken_but_planted
from chizheng.subsidy.models import Claim, ClaimLine, ClaimReview, Disbursement, Recovery
from chizheng.supervision.models import Case, CaseNote, Finding
from chizheng.training.models import Inspection, Review, Session, TrainingClass

pytestmark = pytest.mark.django_db

TODAY = dt.date(2022, 5, 10)
TINY: Scale = dataclasses.replace(
    SLICE,
    name="tiny",
    classes_per_county=16,
    trainees=(4, 6),
    states={s: 1 for s in CLASS_STATES} | {"assessed": 10},
    counties=("410402", "410425"),
    survey_every=3,
    claim_share=1.0,
)


BEFORE: dict[str, int] = {}  # the audit log's last sequence number before the year


@pytest.fixture
def year() -> run.Summary:
    demo.build(people=5, areas=("registry",))
    BEFORE["seq"] = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    return run.simulate(TINY, year=2022, seed=7, today=TODAY)


def test_every_state_and_the_money(year: run.Summary) -> None:
    assert year.made == year.classes == 32
    assert set(year.states) == set(CLASS_STATES)
    counties = set(
        TrainingClass.objects.filter(batch__contains="模拟").values_list(
            "institution__county__code", flat=True
        )
    )
    assert counties == {"410402", "410425"}
    assert Certificate.objects.filter(training_class__batch__contains="模拟").exists()
    assert year.claims["paid"] >= 1 and len(year.claims) >= 3
    # one recovered by finance (``claims``), one ordered by a case's conclusion (``cases``)
    ordered = Case.objects.get(state=Case.State.RECOVERY).recoveries.get()
    assert Recovery.objects.count() == 2 and Recovery.objects.exclude(pk=ordered.pk).count() == 1
    assert broken_but_planted() == []  # a planted voucher is reported by the books too
    voucher = Planted.objects.filter(kind=Planted.Kind.VOUCHER_NOT_REDEEMED).exists()
    assert [r.code for r in checks.run() if not r.ok] == ["voucher_redeemed"] * voucher
    # §11: the spring's competitions, over by "today", with contestants, some certified
    events = Event.objects.filter(starts_on__year=2022)
    assert events.count() == 6 and events.filter(level="provincial_selection").exists()
    assert Contestant.objects.filter(certified_on__isnull=False).exists()
    assert Contestant.objects.filter(certified_on__isnull=True).exists()


def test_nothing_is_dated_after_today(year: run.Summary) -> None:
    end = timezone.make_aware(dt.datetime(2022, 5, 11))
    sim = TrainingClass.objects.filter(batch__contains="模拟")
    assert not sim.filter(submitted_at__gte=end).exists()
    for model, field in (
        (Review, "done_on"),
        (Session, "held_on"),
        (Inspection, "held_on"),
        (Certificate, "issued_on"),
        (ClaimReview, "done_on"),
        (Disbursement, "paid_on"),
        (Event, "ends_on"),
        (Contestant, "certified_on"),
        (Recovery, "on"),
    ):
        assert not model.objects.filter(**{f"{field}__gt": TODAY}).exists(), model
    # every event the simulation recorded happened on or before its day
    assert AuditEvent.objects.filter(seq__gt=BEFORE["seq"]).count() > 100
    assert not AuditEvent.objects.filter(seq__gt=BEFORE["seq"], at__gte=end).exists()
    assert not Claim.objects.filter(calculated_on__gt=TODAY).exists()
    assert not Case.objects.filter(opened_at__gte=end).exists()
    assert not Case.objects.filter(concluded_at__gte=end).exists()
    assert not CaseNote.objects.filter(at__gte=end).exists()


def test_cases_are_taken_from_the_findings(year: run.Summary) -> None:
    states = sorted(Case.objects.values_list("state", flat=True))
    assert states == ["cleared", "investigating", "opened", "recovery"]
    for case in Case.objects.all():
        assert case.findings.count() == 1
        want = {
            "cleared": Finding.State.CLEARED,
            "recovery": Finding.State.CONFIRMED,
        }.get(case.state, Finding.State.IN_CASE)
        assert case.findings.get().state == want
    assert Case.objects.get(state="investigating").notes.exists()


def test_same_seed_same_year_and_resuming_adds_nothing(year: run.Summary) -> None:
    counties = list(County.objects.filter(code__in=TINY.counties).order_by("order"))
    a = actors.gather(counties, 2022)
    first = run.plan_year(TINY, 2022, 7, TODAY, a, counties)
    assert run.plan_year(TINY, 2022, 7, TODAY, a, counties) == first
    assert run.plan_year(TINY, 2022, 8, TODAY, a, counties) != first
    counts = (TrainingClass.objects.count(), Claim.objects.count(), AuditEvent.objects.count())
    again = run.simulate(TINY, year=2022, seed=7, today=TODAY)
    assert (again.made, again.skipped) == (0, 32)
    assert again.states == year.states and again.claims == year.claims
    assert (
        TrainingClass.objects.count(),
        Claim.objects.count(),
        AuditEvent.objects.count(),
    ) == counts


def test_the_modes_with_conditions_of_their_own(year: run.Summary) -> None:
    """Apprenticeship (contracts, a year's class, in training) and pure-online (the office's
    list, assessed on an enterprise's or the worker's application) are in the year."""
    from chizheng.training.models import Enrolment, Mode, PureOnlineOccupation

    apprenticeships = TrainingClass.objects.filter(batch__contains="模拟学徒")
    assert {c.mode for c in apprenticeships} == {Mode.APPRENTICESHIP}
    for c in apprenticeships:
        assert c.status == "in_training"
        assert (c.end_date - c.start_date).days >= 365
        enrolments = Enrolment.objects.filter(training_class=c)
        assert enrolments.count() >= 3
        assert not enrolments.filter(contract_start__isnull=True).exists()
        assert c.sessions.count() >= 2  # one a month since March
    online = TrainingClass.objects.filter(batch__contains="模拟线上")
    assert {c.mode for c in online} == {Mode.ONLINE}
    assert {c.assessment.applied_by for c in online} == {"enterprise", "individual"}
    for c in online:
        # assessed on 04-28, certified the day after, from their audited online hours
        # (``online_logs``)
        assert c.status == "assessed" and c.certificates.exists()
        assert PureOnlineOccupation.objects.filter(occupation__code=c.occupation_code).exists()
    # as many as asked where the counties have the institutions (one enterprise centre here)
    assert year.modes[Mode.APPRENTICESHIP] == len(apprenticeships) == 1
    assert year.modes[Mode.ONLINE] == len(online) == TINY.per_mode


def test_irregularities_are_planted_with_the_truth_beside_them(year: run.Summary) -> None:
    import json
    from io import StringIO

    from django.core.management import call_command

    from chizheng.registry.models import Person
    from chizheng.simulate.models import Planted
    from chizheng.training import selectors
    from chizheng.training.services import evidence_report

    truth = {p.kind: p for p in Planted.objects.filter(year=2022)}
    # every kind; a reversed voucher only where a paid line redeemed one to reverse
    voucher = Planted.Kind.VOUCHER_NOT_REDEEMED
    if voucher not in truth:
        redeemed = ClaimLine.objects.filter(voucher__status="redeemed", claim__status="paid")
        assert not redeemed.exists()  # none in this small year
    assert set(truth) | {voucher} == set(Planted.Kind.values)
    assert year.planted == len(truth) and len(Planted.Kind.values) == 17
    # each where the truth says, and the rules find the two they can
    sign_in = truth[Planted.Kind.SIGN_IN_EXCEEDS_PRESENT]
    flagged = [
        d
        for d in evidence_report(training_class=sign_in.training_class).decisions
        if d.rule == "attendance.sign_in_matches"
    ]
    assert flagged and flagged[0].outcome.value == "warn"  # flagged for review, not refused
    short = truth[Planted.Kind.RECORDING_TOO_SHORT]
    attendance = selectors.class_attendance(training_class=short.training_class)
    (session,) = [s for s in attendance.sessions if s.session.pk == short.subjects[0]["id"]]
    assert session.recognised_hours == 0 and session.reasons
    phone = truth[Planted.Kind.SHARED_PHONE]
    ids = [s["id"] for s in phone.subjects]
    assert len({p.phone_index for p in Person.objects.filter(pk__in=ids)}) == 1
    assert all(p.planted_on <= TODAY for p in truth.values())
    # a re-run plants nothing again; --truth prints what is there
    assert run.simulate(TINY, year=2022, seed=7, today=TODAY).planted == 0
    out = StringIO()
    call_command("simulate", "--truth", stdout=out)
    printed = json.loads(out.getvalue())
    assert {p["kind"] for p in printed} == set(truth)
    assert all(p["class"].startswith("2022-模拟") for p in printed)  # a mode's class too


def test_todays_sessions_are_signed_in_by_qr_code(year: run.Summary) -> None:
    """On "today" the first simulated classes in training hold a session their trainees sign
    in to by the institution's QR code, each with a selfie; the last trainee stays away."""
    from chizheng.simulate import qr_sign_ins
    from chizheng.training.models import Attendance, Enrolment
    from chizheng.training.stills import Still

    sessions = Session.objects.filter(held_on=TODAY, training_class__batch__contains="模拟")
    assert 1 <= sessions.count() <= qr_sign_ins.CLASSES
    for s in sessions:
        roster = Enrolment.objects.filter(training_class=s.training_class_id).count()
        present = Attendance.objects.filter(session=s, present=True).count()
        assert present == roster - 1
        selfies = Still.objects.filter(session=s, kind=Still.Kind.SELFIE)
        assert selfies.count() == present and len({x.phash for x in selfies}) == present
    assert AuditEvent.objects.filter(action="class.qr_sign_in").count() == sum(
        Attendance.objects.filter(session=s, present=True).count() for s in sessions
    )


def test_every_evaluator_is_planned_a_special_check_and_most_are_checked(
    year: run.Summary,
) -> None:
    from chizheng.registry.models import Institution
    from chizheng.supervision.models import EvaluatorCheck

    filed = Institution.objects.filter(
        kind=Institution.Kind.EVALUATOR, filing_status=Institution.FilingStatus.FILED
    ).count()
    checks = EvaluatorCheck.objects.filter(year=2022, half=1)
    assert checks.count() == filed > 0  # §20(4): every filed evaluator, the half "today" is in
    done = checks.filter(state=EvaluatorCheck.State.DONE)
    assert 0 < done.count() < checks.count()
    assert all(c.held_on is not None and c.held_on <= TODAY for c in done)
    assert not EvaluatorCheck.objects.filter(half=2).exists()  # July is after "today"
