"""The scan on a simulated year measured against its planted truth: every planted
irregularity found by the check of its kind, nothing found on the rest of the simulated
classes, and a re-scan replaces the findings without doubling them (the simulation's cases
keeping theirs)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from chizheng import demo
from chizheng.books import checks as books
from chizheng.simulate import run
from chizheng.simulate.models import Planted
from chizheng.simulate.scale import CLASS_STATES, SLICE, Scale
from chizheng.simulate.tests.books import broken_but_planted
from chizheng.supervision import measure, services
from chizheng.supervision.models import Case, Finding

pytestmark = pytest.mark.django_db

TODAY = dt.date(2022, 5, 10)
TINY: Scale = dataclasses.replace(
    SLICE,
    name="tiny",
    classes_per_county=14,
    trainees=(4, 6),
    states={s: 1 for s in CLASS_STATES} | {"assessed": 6, "in_training": 3},
    counties=("410402", "410425"),
    survey_every=3,
    claim_share=1.0,
)


@pytest.fixture
def year() -> run.Summary:
    demo.build(people=5, areas=("registry",))
    return run.simulate(TINY, year=2022, seed=7, today=TODAY)


def test_every_planted_kind_is_found_and_nothing_else(year: run.Summary) -> None:
    kinds = set(Planted.objects.filter(year=2022).values_list("kind", flat=True))
    assert kinds == set(Planted.Kind.values), kinds
    result = services.scan(year=2022)
    figures = {k.kind: k for k in measure.measure(result.found, year=2022)}
    for kind in measure.CHECK_OF.values():
        k = figures[kind]
        assert k.planted >= 1 and k.found == k.planted, k
        assert k.false == 0, (k, [f.summary for f in result.found if f.kind == kind])
    assert broken_but_planted() == []  # the books report the planted voucher, and only it


def test_a_rescan_replaces_the_open_findings(year: run.Summary) -> None:
    # The simulation scanned the year already: its cases start from the findings.
    n = Finding.objects.filter(year=2022).count()
    assert n > 0 and Case.objects.filter(year=2022).count() == 4
    states = dict(Finding.objects.values_list("id", "state"))
    closed = Finding.objects.filter(state__in=["cleared", "confirmed"]).count()
    assert closed == 2
    again = services.scan(year=2022)
    # found again, on the same evidence: the open and in-case ones updated, the closed left
    assert (again.added, again.removed, again.kept, again.updated) == (0, 0, 0, n - closed)
    assert dict(Finding.objects.values_list("id", "state")) == states
    phone = Finding.objects.get(kind="shared_phone")
    assert all("*" in row[1] for row in phone.evidence["rows"])  # masked phones only
    assert all("13903750000" not in str(s) for s in phone.subjects)


def test_the_command_the_job_and_a_class_certified_without_recognised_sessions(
    year: run.Summary,
) -> None:
    """`chizheng supervision scan --json` prints every finding; the nightly job scans the
    day's year; a certified class whose every session's recording is found not to show all
    trainees (a corrected record) is found."""
    import json
    from io import StringIO

    from django.core.management import call_command

    from chizheng.core import clock
    from chizheng.jobs import schedule
    from chizheng.jobs.services import job_start
    from chizheng.jobs.tests.queue import drain
    from chizheng.training.models import Session, Status, TrainingClass

    certified = (
        TrainingClass.objects.filter(batch__startswith="2022-模拟", status=Status.ASSESSED)
        .exclude(mode="online")
        .order_by("id")
        .first()
    )
    assert certified is not None and certified.certificates.exists()
    Session.objects.filter(training_class=certified).update(shows_all_trainees=False)
    out = StringIO()
    with clock.freeze(TODAY):
        call_command("supervision", "scan", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert {"kind", "clause", "subjects", "evidence", "score"} <= set(printed[0])
    kinds = {p["kind"] for p in printed}
    assert set(measure.CHECK_OF.values()) <= kinds
    (g,) = [
        p
        for p in printed
        if p["kind"] == "certificates_without_session"
        and certified.pk in [s["id"] for s in p["subjects"] if s["kind"] == "class"]
    ]
    assert g["clause"] == "§19" and {"kind": "class", "id": certified.pk} in [
        {"kind": s["kind"], "id": s["id"]} for s in g["subjects"]
    ]
    assert "supervision.scan" in {p.kind for p in schedule.NIGHTLY}
    with clock.freeze(TODAY):
        job = job_start(actor=None, kind="supervision.scan", params={"day": "2022-05-10"})
        drain()
    job.refresh_from_db()
    assert job.state == "succeeded", job.error_message
    assert job.summary["year"] == 2022 and job.summary["added"] == 0


def test_a_voided_online_claim_and_an_unredeemed_voucher_written_into_the_year(
    year: run.Summary,
) -> None:
    """Two kinds the simulation plants, written again by hand with the values checked: a
    paid line's voucher put back to certified (the books' own check reports it too), and an
    audit that now credits fewer online hours to a trainee than his claim counted."""
    from decimal import Decimal

    from chizheng.online.models import OnlineLearner
    from chizheng.subsidy.models import Claim, ClaimLine, ClaimStatus, Voucher, VoucherStatus
    from chizheng.training.models import Enrolment

    paid = (
        ClaimLine.objects.filter(
            claim__status=ClaimStatus.PAID, payable=True, voucher__status=VoucherStatus.REDEEMED
        )
        .select_related("claim")
        .order_by("id")
        .first()
    )
    assert paid is not None and paid.voucher_id is not None
    Voucher.objects.filter(pk=paid.voucher_id).update(status=VoucherStatus.CERTIFIED)
    ClaimLine.objects.filter(pk=paid.pk).update(voucher=None)

    line = (
        ClaimLine.objects.filter(payable=True, claim__training_class__isnull=False)
        .exclude(claim__status=ClaimStatus.REJECTED)
        .select_related("claim")
        .order_by("-claim__training_class__online_theory_hours", "id")
        .first()
    )
    assert line is not None and line.claim.training_class_id is not None
    claim = line.claim
    calc = claim.calculation
    for t in calc["inputs"]["trainees"]:
        if t["person_id"] == line.person_id:
            t.setdefault("attendance", {})["online_hours"] = 12  # what the claim counted
    Claim.objects.filter(pk=claim.pk).update(calculation=calc)
    enrolment = Enrolment.objects.get(
        training_class_id=claim.training_class_id, person_id=line.person_id
    )
    OnlineLearner.objects.update_or_create(  # the simulated logs may have keyed him already
        enrolment=enrolment,
        defaults={
            "learner_key": "OL-test",
            "valid_s": Decimal("21600"),
            "void_s": Decimal("5400"),
            "credited_hours": 8,  # the later audit voided two hours' worth and more
        },
    )

    result = services.scan(year=2022)
    (v,) = [
        f
        for f in result.found
        if f.kind == "voucher_not_redeemed" and f.classes == (paid.claim.training_class_id,)
    ]
    assert v.classes == (paid.claim.training_class_id,) and v.clause == "§20(5)"
    assert {"kind": "person", "id": paid.person_id} in [
        {"kind": s["kind"], "id": s["id"]} for s in v.subjects
    ]
    (o,) = [f for f in result.found if f.key == f"voided_online_claimed:{line.pk}"]
    assert o.key == f"voided_online_claimed:{line.pk}" and o.clause == "§20(3)"
    assert o.evidence["rows"][0][4] == 12 and o.evidence["rows"][0][5] == 8
    assert [r.code for r in books.run() if not r.ok] == ["voucher_redeemed"]
    assert broken_but_planted() == ["voucher_redeemed"]  # this voucher is not the planted one
