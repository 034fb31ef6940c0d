"""The supervision scan: every cross-check over a city-year, its findings stored.

``scan`` reads each check's rows set-based (``selectors``), runs the pure checks
(``chizheng.rules.crosschecks``) on the policy in force at the end of the year (or today,
within the year), and replaces the year's open findings: a finding found again keeps its
row (its key: kind and subjects) with the new evidence and score; one no longer found is
removed; a new one is added. Nothing is doubled however often it runs.

A finding a case has taken (in a case, or closed by one) is never removed: no longer found,
it is marked (``gone_at``); found again, it keeps its state — a cleared or confirmed one is
reopened only when its evidence differs from what the case saw.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from chizheng.core import audit, clock
from chizheng.rules import crosschecks as checks
from chizheng.rules import params
from chizheng.rules.crosscheck_rows import Found

from . import row_selectors, selectors
from .models import Finding


@dataclass
class ScanResult:
    year: int
    found: list[Found] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    removed: int = 0
    kept: int = 0  # no longer found, kept (marked) for their cases
    seconds: dict[str, float] = field(default_factory=dict)  # per check: read + run

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def policy_day(year: int) -> dt.date:
    """The day whose policy judges the year: its last day, or today within it."""
    return min(dt.date(year, 12, 31), max(clock.today(), dt.date(year, 1, 1)))


def run_checks(*, year: int, city_id: int | None = None) -> ScanResult:
    """Every check over the year's records; nothing stored."""
    city = selectors.city_of(city_id=city_id)
    classes = selectors.year_classes(year=year, city=city)
    at = params.current().at(policy_day(year))
    result = ScanResult(year=year)
    began = time.perf_counter()
    refs = selectors.class_refs(classes)
    result.seconds["classes"] = time.perf_counter() - began
    plan: list[tuple[str, Callable[[], list[Found]]]] = [
        (
            "person_overlap",
            lambda: checks.person_overlap(selectors.enrolment_rows(classes, refs), at),
        ),
        (
            "sign_in_above_present",
            lambda: checks.sign_in_above_present(selectors.inspection_rows(classes, refs), at),
        ),
        (
            "session_not_recognised",
            lambda: checks.session_not_recognised(selectors.session_rows(classes, refs), at),
        ),
        ("shared_phone", lambda: checks.shared_phone(selectors.phone_rows(classes, refs), at)),
        (
            "certificate_before_end",
            lambda: checks.certificate_before_end(selectors.certificate_rows(classes, refs), at),
        ),
        (
            "teacher_double_booked",
            lambda: checks.teacher_double_booked(selectors.teacher_rows(classes, refs), at),
        ),
        (
            "certificates_without_session",
            lambda: checks.certificates_without_session(
                selectors.class_evidence_rows(classes, refs), at
            ),
        ),
        (
            "shared_bank_account",
            lambda: checks.shared_bank_account(
                row_selectors.account_rows(classes, refs, year=year, city=city), at
            ),
        ),
        (
            "several_id_forms",
            lambda: checks.several_id_forms(
                row_selectors.id_form_rows(classes, refs, city=city), at
            ),
        ),
        (
            "identical_absences",
            lambda: checks.identical_absences(row_selectors.absence_rows(classes, refs), at),
        ),
        (
            "all_present",
            lambda: checks.all_present(row_selectors.class_attendance_rows(classes, refs), at),
        ),
        (
            "voided_online_claimed",
            lambda: checks.voided_online_claimed(
                row_selectors.online_claim_rows(classes, refs), at
            ),
        ),
        (
            "voucher_not_redeemed",
            lambda: checks.voucher_not_redeemed(row_selectors.voucher_line_rows(classes, refs), at),
        ),
        ("same_photo", lambda: checks.same_photo(selectors.still_rows(classes, refs), at)),
        (
            "evaluator_out_of_scope",
            lambda: checks.evaluator_out_of_scope(
                row_selectors.issued_out_of_scope_rows(classes, refs, year=year, city=city), at
            ),
        ),
        (
            "evaluator_over_capacity",
            lambda: checks.evaluator_over_capacity(
                row_selectors.issued_busy_day_rows(
                    refs, year=year, city=city, above=at["supervision.evaluator_daily_capacity"]
                ),
                at,
            ),
        ),
        (
            "workstations_overbooked",
            lambda: checks.workstations_overbooked(selectors.site_bookings(classes, refs), at),
        ),
    ]
    for kind, run in plan:
        began = time.perf_counter()
        result.found.extend(run())
        result.seconds[kind] = time.perf_counter() - began
    return result


def evidence_digest(evidence: object) -> str:
    """The digest of a finding's evidence as stored (canonical JSON)."""
    text = json.dumps(evidence, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode()).hexdigest()


def scan(*, year: int, city_id: int | None = None) -> ScanResult:
    """Run every check and store the findings, replacing the year's open ones."""
    result = run_checks(year=year, city_id=city_id)
    now = clock.now()
    S = Finding.State
    with transaction.atomic():
        have = {f.key: f for f in Finding.objects.select_for_update().filter(year=year)}
        # The findings a case has taken, in it or closed by it: never removed.
        in_cases = set(
            Finding.objects.filter(year=year, cases__isnull=False).values_list("key", flat=True)
        )
        fresh: list[Finding] = []
        changed: list[Finding] = []
        reopened: list[tuple[Finding, str]] = []  # closed by a case, found on new evidence
        seen: set[str] = set()
        for found in result.found:
            if found.key in seen:  # one finding per key, whatever a check returns
                continue
            seen.add(found.key)
            digest = evidence_digest(found.evidence)
            row = have.get(found.key) or Finding(year=year, key=found.key)
            if row.state in (S.CLEARED, S.CONFIRMED):
                if row.evidence_digest == digest:
                    if row.gone_at is not None:
                        row.gone_at = None
                        changed.append(row)
                    continue  # closed by its case on this very evidence: not reopened
                reopened.append((row, row.state))
                row.state = S.OPEN  # new evidence since the case: to be looked at again
            row.evidence_digest, row.gone_at = digest, None
            row.kind, row.clause, row.summary = found.kind, found.clause, found.summary[:300]
            row.subjects, row.evidence = list(found.subjects), found.evidence
            row.classes = list(found.classes)
            row.score = found.score
            assert found.county_id is not None  # every check names the class it is about
            row.county_id = found.county_id
            row.institution_id = found.institution_id
            row.found_at = now
            (changed if row.pk else fresh).append(row)
        gone = [f.pk for key, f in have.items() if key not in seen and key not in in_cases]
        kept = [
            f.pk for key, f in have.items() if key not in seen and key in in_cases and not f.gone_at
        ]
        Finding.objects.filter(pk__in=gone).delete()
        Finding.objects.filter(pk__in=kept).update(gone_at=now)
        Finding.objects.bulk_create(fresh, batch_size=1000)
        Finding.objects.bulk_update(
            changed,
            [
                "kind",
                "clause",
                "summary",
                "subjects",
                "evidence",
                "classes",
                "score",
                "county",
                "institution",
                "found_at",
                "state",
                "evidence_digest",
                "gone_at",
            ],
            batch_size=1000,
        )
        result.added, result.updated, result.removed = len(fresh), len(changed), len(gone)
        result.kept = len(kept)
        for row, was in reopened:  # each reopening on the record, with what it was
            audit.record(
                actor=None,
                action="supervision.finding_reopen",
                obj=row,
                before={"state": was},
                after={"state": S.OPEN, "evidence_digest": row.evidence_digest},
                reason="复查发现新的证据，线索重新待核查",
            )
        audit.record(
            actor=None,
            action="supervision.scan",
            object_type="supervision.scan",
            object_id=year,
            after={
                "year": year,
                "found": len(seen),
                "added": result.added,
                "removed": result.removed,
                "kept": result.kept,
                "reopened": len(reopened),
            },
        )
    return result
