"""Cases through their services: opened from open findings of one county (a finding in at most
one open case), assigned to an official of its scope, investigated with notes and evidence
files, concluded as cleared, recovery (through the subsidy service, never twice) or sanction
(through the registry service); each step an audit event."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.core.errors import DomainError, NotFound, PermissionDenied, ValidationError
from chizheng.core.models import AuditEvent
from chizheng.registry.models import Sanction
from chizheng.subsidy.models import Disbursement, Recovery
from chizheng.supervision import case_services as cases
from chizheng.supervision.models import Case, CaseFile, Finding

from .conftest import CASE_DAY, CaseWorld, make_finding

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _investigating(cw: CaseWorld, actor: User | None = None) -> Case:
    actor = actor or cw.inspector
    with clock.freeze(CASE_DAY):
        case = cases.case_open(actor=actor, finding_ids=[cw.finding.pk])
        cases.case_note(actor=actor, case_id=case.pk, text="现场核对签到表，发现代签")
    case.refresh_from_db()
    return case


def test_open_takes_the_finding_and_audits(cw: CaseWorld) -> None:
    with clock.freeze(CASE_DAY):
        case = cases.case_open(actor=cw.inspector, finding_ids=[cw.finding.pk], title="代签")
    assert case.state == Case.State.OPENED and case.county_id == cw.finding.county_id
    assert case.number.startswith("HC2022410402")
    cw.finding.refresh_from_db()
    assert cw.finding.state == Finding.State.IN_CASE
    assert AuditEvent.objects.filter(action="case.open", object_id=str(case.pk)).count() == 1
    with pytest.raises(ValidationError, match="已在核查案件中"):
        cases.case_open(actor=cw.hr, finding_ids=[cw.finding.pk])


def test_another_county_cannot_open_from_a_finding_not_its_own(cw: CaseWorld) -> None:
    for actor in (cw.other_hr, cw.other_inspector):
        with pytest.raises(NotFound):
            cases.case_open(actor=actor, finding_ids=[cw.finding.pk])
    with pytest.raises(PermissionDenied):
        cases.case_open(actor=cw.institution_user, finding_ids=[cw.finding.pk])


def test_findings_of_two_counties_are_not_one_case(cw: CaseWorld) -> None:
    with pytest.raises(ValidationError, match="同一县"):
        cases.case_open(actor=cw.office, finding_ids=[cw.finding.pk, cw.other.pk])


def test_assign_only_to_an_official_of_the_scope(cw: CaseWorld) -> None:
    case = cases.case_open(actor=cw.hr, finding_ids=[cw.finding.pk])
    with pytest.raises(ValidationError, match="承办人"):
        cases.case_assign(actor=cw.hr, case_id=case.pk, assignee_id=cw.other_inspector.pk)
    with pytest.raises(ValidationError, match="承办人"):
        cases.case_assign(actor=cw.hr, case_id=case.pk, assignee_id=cw.institution_user.pk)
    with pytest.raises(PermissionDenied):  # inspectors investigate; the bureaus assign
        cases.case_assign(actor=cw.inspector, case_id=case.pk, assignee_id=cw.inspector.pk)
    cases.case_assign(actor=cw.hr, case_id=case.pk, assignee_id=cw.inspector.pk)
    case.refresh_from_db()
    assert case.assignee_id == cw.inspector.pk
    assert AuditEvent.objects.filter(action="case.assign", object_id=str(case.pk)).exists()


def test_the_first_note_starts_the_investigation_and_files_are_checked(cw: CaseWorld) -> None:
    case = cases.case_open(actor=cw.inspector, finding_ids=[cw.finding.pk])
    note = cases.case_note(
        actor=cw.inspector,
        case_id=case.pk,
        text="签到表复印件",
        upload=cases.Upload("C:\\scan\\签到表.png", PNG),
    )
    case.refresh_from_db()
    assert case.state == Case.State.INVESTIGATING
    f = CaseFile.objects.get(note=note)
    assert (f.filename, f.content_type, f.size) == ("签到表.png", "image/png", len(PNG))
    assert len(f.sha256) == 64
    assert AuditEvent.objects.filter(action="case.file").count() == 1
    with pytest.raises(ValidationError, match="PDF、JPG 或 PNG"):
        cases.case_note(
            actor=cw.inspector,
            case_id=case.pk,
            text="x",
            upload=cases.Upload("a.png", b"MZ\x90\x00 not an image"),
        )
    with pytest.raises(ValidationError, match="不能超过10MB"):
        cases.case_note(
            actor=cw.inspector,
            case_id=case.pk,
            text="x",
            upload=cases.Upload("a.pdf", b"%PDF-" + b"0" * cases.MAX_FILE_BYTES),
        )
    assert CaseFile.objects.count() == 1  # the refused notes wrote nothing


@pytest.mark.parametrize(
    ("text", "reason"),
    [("", "请填写核查记录"), ("x" * 2001, "不能超过 2000 个字符"), ("代签\x00", "控制字符")],
)
def test_a_bad_note_is_refused_in_chinese(cw: CaseWorld, text: str, reason: str) -> None:
    case = cases.case_open(actor=cw.inspector, finding_ids=[cw.finding.pk])
    with pytest.raises(ValidationError, match=reason):
        cases.case_note(actor=cw.inspector, case_id=case.pk, text=text)


def test_recovery_goes_through_the_subsidy_service_once(cw: CaseWorld) -> None:
    case = _investigating(cw)
    paid = Disbursement.objects.get(claim=cw.claim)
    with clock.freeze(CASE_DAY):
        cases.case_conclude(
            actor=cw.inspector,
            case_id=case.pk,
            outcome="recovery",
            conclusion="代签属实，追缴全部补贴",
        )
    case.refresh_from_db()
    assert case.state == Case.State.RECOVERY
    rec = Recovery.objects.get()
    assert rec.amount == paid.amount and isinstance(rec.amount, Decimal)
    assert list(case.recoveries.all()) == [rec]
    assert case.recovered_lines.count() == cw.claim.lines.filter(payable=True).count()
    paid.refresh_from_db()
    assert paid.recovered == paid.amount
    cw.finding.refresh_from_db()
    assert cw.finding.state == Finding.State.CONFIRMED
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "case.open",
        "case.investigate",
        "case.note",
        "case.recover",
        "claim.recover",
    } <= actions
    with pytest.raises(DomainError, match="不能办结"):
        cases.case_conclude(
            actor=cw.inspector, case_id=case.pk, outcome="recovery", conclusion="再次"
        )
    assert Recovery.objects.count() == 1


def test_a_line_is_never_recovered_by_two_cases(cw: CaseWorld) -> None:
    tc = cw.m.training_class
    second = make_finding(
        cw.finding.county, n=3, kind="shared_phone", classes=[tc.pk], institution=tc.institution
    )
    line = cw.claim.lines.filter(payable=True).order_by("id").first()
    assert line is not None
    case = _investigating(cw)
    cases.case_conclude(
        actor=cw.hr, case_id=case.pk, outcome="recovery", conclusion="一人", line_ids=[line.pk]
    )
    assert Recovery.objects.get().amount == line.amount
    other = cases.case_open(actor=cw.hr, finding_ids=[second.pk])
    cases.case_note(actor=cw.hr, case_id=other.pk, text="同一班级")
    with pytest.raises(ValidationError, match="已由其他核查案件追缴"):
        cases.case_conclude(
            actor=cw.hr, case_id=other.pk, outcome="recovery", conclusion="再", line_ids=[line.pk]
        )
    with pytest.raises(ValidationError, match="不属于本案"):
        cases.case_conclude(
            actor=cw.hr, case_id=other.pk, outcome="recovery", conclusion="再", line_ids=[10**9]
        )
    assert Recovery.objects.count() == 1


def test_recovery_needs_a_paid_claim(cw: CaseWorld) -> None:
    with clock.freeze(CASE_DAY):
        case = cases.case_open(actor=cw.office, finding_ids=[cw.other.pk])
        cases.case_note(actor=cw.office, case_id=case.pk, text="未拨付")
    with pytest.raises(ValidationError, match="无可追缴"):
        cases.case_conclude(actor=cw.office, case_id=case.pk, outcome="recovery", conclusion="x")


def test_sanction_is_the_city_offices_through_the_registry(cw: CaseWorld) -> None:
    case = _investigating(cw, cw.hr)
    with pytest.raises(DomainError, match="不能办结（处理）"):
        cases.case_conclude(
            actor=cw.hr,
            case_id=case.pk,
            outcome="sanction",
            conclusion="严重问题",
            sanction_kind="blacklist",
        )
    with clock.freeze(CASE_DAY):
        cases.case_conclude(
            actor=cw.office,
            case_id=case.pk,
            outcome="sanction",
            conclusion="虚假培训，列入黑名单",
            sanction_kind="blacklist",
        )
    s = Sanction.objects.get()
    assert (s.kind, s.institution_id, s.starts_on) == (
        "blacklist",
        cw.finding.institution_id,
        CASE_DAY,
    )
    assert list(case.sanctions.all()) == [s]
    cw.finding.refresh_from_db()
    assert cw.finding.state == Finding.State.CONFIRMED


def test_cleared_closes_the_findings(cw: CaseWorld) -> None:
    case = _investigating(cw)
    cases.case_conclude(
        actor=cw.inspector, case_id=case.pk, outcome="cleared", conclusion="属实签到"
    )
    cw.finding.refresh_from_db()
    assert cw.finding.state == Finding.State.CLEARED
    assert Recovery.objects.count() == 0 and Sanction.objects.count() == 0


@pytest.mark.parametrize(
    ("outcome", "conclusion", "reason"),
    [
        ("closed", "x", "核查结论应为"),
        ("cleared", "", "请填写核查结论"),
        ("cleared", "x" * 2001, "不能超过 2000 个字符"),
        ("cleared", "结论\x07", "控制字符"),
    ],
)
def test_a_bad_conclusion_is_refused_in_chinese(
    cw: CaseWorld, outcome: str, conclusion: str, reason: str
) -> None:
    case = _investigating(cw)
    with pytest.raises(ValidationError, match=reason):
        cases.case_conclude(
            actor=cw.inspector, case_id=case.pk, outcome=outcome, conclusion=conclusion
        )
    case.refresh_from_db()
    assert case.state == Case.State.INVESTIGATING


def test_another_county_cannot_act_on_the_case(cw: CaseWorld) -> None:
    case = _investigating(cw)
    for actor in (cw.other_hr, cw.other_inspector):
        with pytest.raises(NotFound):
            cases.case_note(actor=actor, case_id=case.pk, text="x")
        with pytest.raises(NotFound):
            cases.case_conclude(actor=actor, case_id=case.pk, outcome="cleared", conclusion="x")
    cases.case_note(actor=cw.city_inspector, case_id=case.pk, text="市级检查人员补充")
