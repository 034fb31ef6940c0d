"""Benchmark: the supervision scan of a simulated city-year, measured against its planted
truth and timed beside a simple per-record baseline in the same run.

Runs on the database the settings name — the demo's (``make run``, then
``CHIZHENG_ENV_FILE=var/local.env``) or any database holding a simulated year
(``chizheng simulate``). It does not write: the scan's checks run without storing.

Printed:

* per kind of check — the irregularities planted (``simulate.Planted``), how many a finding
  of that kind names (recall, must be 100%), the findings on the simulated classes and how
  many of them name nothing planted (false findings, must be < 1% of the records checked);
* the time of the set-based scan (each check's rows read in one or a few queries) and of
  the baseline: a loop over the year's classes asking the database once per record (each
  trainee's other classes, each session's attendance, each trainee's phone, each
  certificate, each teacher's other bookings), the same checks on the same rows — whose
  findings are checked to be the same.

    CHIZHENG_ENV_FILE=var/local.env .venv/bin/python benchmarks/supervision_scan.py [--year 2022]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


BASELINE_KINDS = (
    "person_overlap",
    "sign_in_above_present",
    "session_not_recognised",
    "shared_phone",
    "certificate_before_end",
    "teacher_double_booked",
    "certificates_without_session",
)


def baseline(year: int, sample: int = 0) -> tuple[list[Any], int, int]:
    """The same checks fed record by record: one query per trainee, session, phone,
    certificate and teacher of every class (``sample``: of every k-th class only, k chosen so
    that about ``sample`` classes are read — a city year's baseline runs for hours). Returns
    the findings, the queries asked and the classes read."""
    from chizheng.assessment.models import Certificate
    from chizheng.registry.models import Person
    from chizheng.rules import crosscheck_rows as rows
    from chizheng.rules import crosschecks as cc
    from chizheng.rules import params
    from chizheng.subsidy.models import Claim
    from chizheng.supervision import selectors as sel
    from chizheng.supervision.services import policy_day
    from chizheng.training.models import Enrolment, Inspection, Session, TrainingClass

    at = params.current().at(policy_day(year))
    classes = sel.year_classes(year=year, city=sel.city_of())
    refs = sel.class_refs(classes)
    live = set(refs)
    enrol: list[rows.EnrolmentRow] = []
    insp: list[rows.InspectionRow] = []
    sess: list[rows.SessionRow] = []
    phones: list[rows.PhoneRow] = []
    certs: list[rows.CertificateRow] = []
    teach: list[rows.TeacherBooking] = []
    evid: list[rows.ClassEvidence] = []
    seen_people: set[int] = set()
    seen_teachers: set[int] = set()
    asked = 0
    ids = sorted(live)
    if sample and sample < len(ids):
        ids = ids[:: len(ids) // sample][:sample]
    for c in TrainingClass.objects.filter(pk__in=ids).order_by("id"):
        ref = refs[c.pk]
        asked += 1
        for e in Enrolment.objects.filter(training_class=c).select_related("person"):
            asked += 1
            p = e.person
            label = f"{p.name}（{p.id_masked}）"
            others = list(
                Enrolment.objects.filter(person_id=p.pk, training_class_id__in=live).values_list(
                    "training_class_id", flat=True
                )
            )
            asked += 1
            if len(others) > 1 and p.pk not in seen_people:
                enrol += [rows.EnrolmentRow(p.pk, label, refs[k]) for k in others]
            if p.phone_index and p.pk not in seen_people:
                sharing = list(
                    Person.objects.filter(phone_index=p.phone_index).values_list("pk", flat=True)
                )
                asked += 1
                if len(sharing) > 1:
                    phones.append(rows.PhoneRow(p.pk, label, p.phone_index, p.phone_masked, ref))
            seen_people.add(p.pk)
        for i in Inspection.objects.filter(training_class=c):
            insp.append(
                rows.InspectionRow(
                    i.pk, ref, i.get_kind_display(), i.held_on, i.present, i.signed_in
                )
            )
        asked += 1
        claimed = Claim.objects.filter(training_class=c).exists()
        asked += 1
        offline = []
        for s in Session.objects.filter(training_class=c, kind__in=sel.OFFLINE):
            present = s.attendance.filter(present=True).count()
            asked += 1
            facts = sel._session_facts(
                {f: getattr(s, f) for f in sel.SESSION_FIELDS if f != "training_class_id"}, ref
            )
            offline.append(facts)
            sess.append(rows.SessionRow(s.pk, ref, facts, claimed, present))
        asked += 1
        n = 0
        for cert in Certificate.objects.filter(training_class=c).select_related("person"):
            n += 1
            certs.append(
                rows.CertificateRow(
                    cert.pk,
                    cert.number,
                    f"{cert.person.name}（{cert.person.id_masked}）",
                    cert.issued_on,
                    ref,
                    getattr(getattr(c, "assessment", None), "held_on", None),
                )
            )
        asked += 2
        if n and c.mode != "online":
            evid.append(rows.ClassEvidence(ref, n, tuple(offline)))
        for t in c.teachers.all():
            bookings = list(
                TrainingClass.teachers.through.objects.filter(
                    teacher__id_index=t.id_index, trainingclass_id__in=live
                ).values_list("teacher_id", "trainingclass_id")
            )
            asked += 1
            if len(bookings) > 1 and t.pk not in seen_teachers:
                teach += [
                    rows.TeacherBooking(tid, t.id_index, f"{t.name}（{t.id_masked}）", refs[k])
                    for tid, k in bookings
                ]
            seen_teachers.add(t.pk)
        asked += 1
    found = (
        cc.person_overlap(enrol, at)
        + cc.sign_in_above_present(insp, at)
        + cc.session_not_recognised(sess, at)
        + cc.shared_phone(phones, at)
        + cc.certificate_before_end(certs, at)
        + cc.teacher_double_booked(teach, at)
        + cc.certificates_without_session(evid, at)
    )
    return found, asked, len(ids)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--runs", type=int, default=3, help="runs of the scan (median, range)")
    parser.add_argument(
        "--baseline-runs", type=int, default=1, help="runs of the per-record baseline"
    )
    parser.add_argument(
        "--baseline-sample",
        type=int,
        default=0,
        help="read only about this many classes in the baseline and scale its time to the "
        "year (0: every class; its findings are then compared with the scan's)",
    )
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from benchmarks.machine import describe
    from chizheng.supervision import measure, selectors, services
    from chizheng.training.models import TrainingClass

    year = args.year
    n_classes = selectors.year_classes(year=year, city=selectors.city_of()).count()
    print(f"machine: {describe()}; database: {connection.vendor}")
    print(
        f"year {year}: {n_classes} classes in the scan ({TrainingClass.objects.filter(batch__startswith=f'{year}-模拟').count()} simulated)"
    )
    scans, bases = [], []
    for _ in range(max(1, args.runs)):
        began = time.perf_counter()
        result = services.run_checks(year=year)
        scans.append(time.perf_counter() - began)
    for _ in range(max(1, args.baseline_runs)):
        began = time.perf_counter()
        base, asked, read = baseline(year, args.baseline_sample)
        bases.append((time.perf_counter() - began) * n_classes / max(1, read))
    scan_s, base_s = statistics.median(scans), statistics.median(bases)
    # the baseline feeds the first seven checks only; the later kinds are timed, not doubled
    fed = set(BASELINE_KINDS)
    sampled = read < n_classes
    same = sampled or sorted(f.key for f in result.found if f.kind in fed) == sorted(
        f.key for f in base
    )
    print(
        f"scan (set-based): median {scan_s:.2f} s of {len(scans)} runs "
        f"({min(scans):.2f}–{max(scans):.2f} s), {len(result.found)} findings"
    )
    for kind, s in result.seconds.items():
        print(f"    {kind:30s} {s * 1000:8.1f} ms")
    if sampled:
        print(
            f"baseline on a sample: {read} of {n_classes} classes read ({asked} queries), "
            f"its time scaled by {n_classes / read:.1f} to the whole year; findings not compared"
        )
    print(
        f"baseline (a query per record{'' if sampled else f', {asked} queries'}): median "
        f"{base_s:.2f} s of {len(bases)} runs ({min(bases):.2f}–{max(bases):.2f} s)"
        + ("" if sampled else f", {len(base)} findings")
    )
    fed_s = sum(s for kind, s in result.seconds.items() if kind in fed or kind == "classes")
    print(
        f"ratio baseline/scan of the same seven checks (the last scan's times): "
        f"{base_s / fed_s:.1f}x; whole scan {base_s / scan_s:.1f}x faster than the baseline "
        f"of seven; " + ("findings not compared (sample)" if sampled else f"same findings: {same}")
    )
    print()
    print(
        f"{'kind':30s} {'planted':>7s} {'found':>6s} {'recall':>7s} {'findings':>8s} {'false':>6s}"
    )
    ok = same
    records = max(1, n_classes)
    for k in measure.measure(result.found, year=year):
        recall = "—" if k.recall is None else f"{k.recall:.0%}"
        print(f"{k.kind:30s} {k.planted:7d} {k.found:6d} {recall:>7s} {k.findings:8d} {k.false:6d}")
        ok = ok and (k.recall is None or k.recall == 1.0) and k.false / records < 0.01
    false = sum(k.false for k in measure.measure(result.found, year=year))
    print(
        f"false findings on the simulated classes: {false} ({false / records:.2%} of {records} classes)"
    )
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
