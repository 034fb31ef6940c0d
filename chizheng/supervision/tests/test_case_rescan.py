"""A re-scan and the cases: a finding in a case survives a scan that no longer finds it
(marked, not removed) and keeps its case; an open finding no longer found is removed; a
cleared finding found again on the same evidence stays cleared, on new evidence reopens."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from chizheng.accounts.models import Role
from chizheng.core.models import AuditEvent
from chizheng.rules.crosscheck_rows import Found
from chizheng.supervision import case_services as cases
from chizheng.supervision import services
from chizheng.supervision.models import Case, Finding

pytestmark = pytest.mark.django_db


def _found(key: str, county_id: int, compared: str = "签到 12 人 > 在位 10 人") -> Found:
    return Found(
        kind="sign_in_above_present",
        clause="§21",
        key=key,
        summary=f"线索 {key}",
        subjects=({"kind": "class", "id": 1, "label": "2022-01"},),
        evidence={"columns": ["签到", "在位"], "rows": [[12, 10]], "compared": compared},
        score=Decimal("10"),
        county_id=county_id,
        institution_id=None,
    )


@pytest.fixture
def scan_finds(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Make the scan find exactly the given findings."""

    def set_found(*found: Found) -> services.ScanResult:
        def run(*, year: int, city_id: int | None = None) -> services.ScanResult:
            return services.ScanResult(year=year, found=list(found))

        monkeypatch.setattr(services, "run_checks", run)
        return services.scan(year=2022)

    return set_found


def test_a_finding_in_a_case_survives_a_rescan(
    scan_finds: Any, county: Any, make_user: Any
) -> None:
    xinhua = county("410402")
    scan_finds(_found("a", xinhua.pk), _found("b", xinhua.pk))
    a = Finding.objects.get(key="a")
    case = cases.case_open(actor=make_user(Role.PROGRAMME_OFFICE), finding_ids=[a.pk])
    result = scan_finds()  # neither is found any more
    assert (result.removed, result.kept) == (1, 1)
    assert list(Finding.objects.values_list("key", flat=True)) == ["a"]
    a.refresh_from_db()
    assert a.state == Finding.State.IN_CASE and a.gone_at is not None
    assert list(case.findings.all()) == [a]
    scan_finds(_found("a", xinhua.pk, compared="签到 13 人 > 在位 10 人"))  # found again
    a.refresh_from_db()
    assert a.gone_at is None and a.state == Finding.State.IN_CASE
    assert a.evidence["compared"] == "签到 13 人 > 在位 10 人"


def test_a_cleared_finding_is_not_reopened_on_the_same_evidence(
    scan_finds: Any, county: Any, make_user: Any
) -> None:
    xinhua = county("410402")
    office = make_user(Role.PROGRAMME_OFFICE)
    scan_finds(_found("a", xinhua.pk))
    a = Finding.objects.get(key="a")
    case = cases.case_open(actor=office, finding_ids=[a.pk])
    cases.case_note(actor=office, case_id=case.pk, text="核对签到表")
    cases.case_conclude(actor=office, case_id=case.pk, outcome="cleared", conclusion="补签属实")
    scan_finds(_found("a", xinhua.pk))
    a.refresh_from_db()
    assert a.state == Finding.State.CLEARED and Finding.objects.count() == 1
    scan_finds(_found("a", xinhua.pk, compared="签到 15 人 > 在位 10 人"))
    a.refresh_from_db()
    assert a.state == Finding.State.OPEN  # new evidence: to be looked at again
    (event,) = AuditEvent.objects.filter(action="supervision.finding_reopen")
    assert event.object_id == str(a.pk) and event.before == {"state": "cleared"}
    assert event.after is not None and event.after["state"] == "open"
    assert Case.objects.get().state == Case.State.CLEARED
    assert list(a.cases.all()) == [case]  # the concluded case keeps its finding
    scan_finds()  # no longer found: kept for its case's history
    a.refresh_from_db()
    assert a.gone_at is not None
