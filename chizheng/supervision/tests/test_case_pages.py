"""/supervision/cases/: a case opened from a finding's page, its detail with the action of its
step, notes with an evidence file, the conclusion; the list's filters, search and export;
another county's user gets nothing (list, detail, file, export, actions)."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from chizheng.api.tests.clients import ApiClient
from chizheng.supervision import case_services as cases
from chizheng.supervision.models import Case, CaseFile, Finding

from .conftest import CaseWorld, make_finding

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"


def _as(user: Any) -> ApiClient:
    c = ApiClient()
    c.force_login(user)
    return c


def test_open_from_the_finding_note_and_conclude(cw: CaseWorld) -> None:
    c = _as(cw.inspector)
    page = c.get(reverse("supervision:detail", args=[cw.finding.pk]))
    assert 'data-testid="open-case"' in page.content.decode()
    r = c.post(reverse("supervision:case_open"), {"findings": [cw.finding.pk], "back": "detail"})
    case = Case.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("supervision:case", args=[case.pk])
    body = c.get(r["Location"]).content.decode()
    assert 'data-testid="note-form"' in body and 'data-testid="conclude"' not in body
    upload = io.BytesIO(PDF)
    upload.name = "询问笔录.pdf"
    c.post(
        reverse("supervision:case_act", args=[case.pk, "note"]),
        {"text": "询问学员 5 人", "file": upload},
    )
    f = CaseFile.objects.get()
    assert f.content_type == "application/pdf"
    got = c.get(reverse("supervision:case_file", args=[f.pk]))
    assert got.content == PDF
    body = c.get(reverse("supervision:case", args=[case.pk])).content.decode()
    assert 'data-testid="conclude"' in body and "询问学员 5 人" in body
    c.post(
        reverse("supervision:case_act", args=[case.pk, "conclude"]),
        {"outcome": "cleared", "conclusion": "签到与在位一致"},
    )
    case.refresh_from_db()
    assert case.state == Case.State.CLEARED
    cw.finding.refresh_from_db()
    assert cw.finding.state == Finding.State.CLEARED


def test_bad_input_is_said_in_chinese_and_changes_nothing(cw: CaseWorld) -> None:
    c = _as(cw.inspector)
    case = cases.case_open(actor=cw.inspector, finding_ids=[cw.finding.pk])
    url = reverse("supervision:case_act", args=[case.pk, "note"])
    r = c.post(url, {"text": "x" * 2001}, follow=True)
    assert r.status_code == 200 and "2000" in r.content.decode()
    r = c.post(url, {"text": "a\x00b"}, follow=True)
    assert "控制字符" in r.content.decode()
    fake = io.BytesIO(b"<script>alert(1)</script>")
    fake.name = "x.png"
    r = c.post(url, {"text": "照片", "file": fake}, follow=True)
    assert "PDF、JPG 或 PNG" in r.content.decode()
    r = c.post(
        reverse("supervision:case_act", args=[case.pk, "conclude"]),
        {"outcome": "closed", "conclusion": "x"},
        follow=True,
    )
    assert r.status_code == 200 and "核查结论" in r.content.decode()
    r = c.get(reverse("supervision:cases") + "?state=bogus&q=" + "%01x")
    text = r.content.decode()
    assert "未知的案件状态" in text and "控制字符" in text
    assert r.context["page"].paginator.count == 1  # the bad filters were left out
    case.refresh_from_db()
    assert case.state == Case.State.OPENED and case.notes.count() == 0


def test_list_filters_search_and_export(cw: CaseWorld, county: Any) -> None:
    mine = cases.case_open(actor=cw.hr, finding_ids=[cw.finding.pk], title="=HYPERLINK(1)")
    cases.case_open(actor=cw.office, finding_ids=[cw.other.pk], title="汝州的案件")
    c = _as(cw.office)
    page = c.get(reverse("supervision:cases") + "?county=410402")
    assert [x.pk for x in page.context["page"].object_list] == [mine.pk]
    page = c.get(reverse("supervision:cases") + "?q=汝州")
    assert [x.title for x in page.context["page"].object_list] == ["汝州的案件"]
    body = c.get(reverse("supervision:cases") + "?county=410402&format=xlsx").content
    ws = openpyxl.load_workbook(io.BytesIO(body)).active
    assert ws is not None and ws.max_row == 2
    titles = [str(cell.value) for cell in ws[2]]
    assert "'=HYPERLINK(1)" in titles and "=HYPERLINK(1)" not in titles


def test_another_county_gets_nothing(cw: CaseWorld) -> None:
    case = cases.case_open(actor=cw.hr, finding_ids=[cw.finding.pk])
    note = cases.case_note(
        actor=cw.hr, case_id=case.pk, text="x", upload=cases.Upload("a.pdf", PDF)
    )
    f = note.files.get()
    for user in (cw.other_hr, cw.other_inspector):
        c = _as(user)
        page = c.get(reverse("supervision:cases"))
        assert page.status_code == 200 and list(page.context["page"].object_list) == []
        body = c.get(reverse("supervision:cases") + "?format=xlsx").content
        ws = openpyxl.load_workbook(io.BytesIO(body)).active
        assert ws is not None and ws.max_row == 1
        assert c.get(reverse("supervision:case", args=[case.pk])).status_code == 404
        assert c.get(reverse("supervision:case_file", args=[f.pk])).status_code == 404
        for step, data in [
            ("note", {"text": "越权"}),
            ("investigate", {}),
            ("conclude", {"outcome": "cleared", "conclusion": "越权"}),
            ("assign", {"assignee": user.pk}),
        ]:
            r = c.post(reverse("supervision:case_act", args=[case.pk, step]), data)
            assert r.status_code == 404, step
        r = c.post(reverse("supervision:case_open"), {"findings": [cw.finding.pk]})
        assert Case.objects.count() == 1
    case.refresh_from_db()
    assert case.state == Case.State.INVESTIGATING and case.notes.count() == 1
    c = _as(cw.institution_user)
    assert c.get(reverse("supervision:cases")).status_code == 403
    assert c.get(reverse("supervision:case", args=[case.pk])).status_code == 403


def test_the_findings_list_offers_open_only_on_open_findings(cw: CaseWorld) -> None:
    make_finding(cw.finding.county, n=9)
    cases.case_open(actor=cw.hr, finding_ids=[cw.finding.pk])
    body = _as(cw.hr).get(reverse("supervision:list")).content.decode()
    assert f'data-testid="open-case-{cw.finding.pk}"' not in body
    assert body.count('data-testid="open-case-') == 1
    leader_body = _as(cw.m.office).get(reverse("supervision:list")).content.decode()
    assert "核查中" in leader_body
