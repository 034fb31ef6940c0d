"""Journey: a supervision case from a finding to a recovery, through the real pages.

An inspector of the county opens the findings page, opens a case (核查) from the finding on a
class whose claim was paid, records what he found with the scanned sign-in sheet as evidence,
and concludes the case with a recovery of the class's subsidy; the claim's page then shows
the recovery (追缴), returned to the funds."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from chizheng.core import clock
from chizheng.subsidy.models import Disbursement
from chizheng.supervision.models import Case
from chizheng.supervision.tests.conftest import CASE_DAY, CaseWorld
from chizheng.supervision.tests.conftest import cw as cw
from chizheng.supervision.tests.conftest import money as money
from chizheng.supervision.tests.conftest import world as world

from .conftest import login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_inspector_opens_a_case_and_concludes_with_a_recovery(
    live_server, page: Page, cw: CaseWorld, tmp_path: Path
) -> None:
    base = live_server.url
    scan = tmp_path / "签到表.pdf"
    scan.write_bytes(b"%PDF-1.4\n% sign-in sheet\n")
    with clock.freeze(CASE_DAY):
        login(page, base, cw.inspector.username)
        page.goto(f"{base}/supervision/")
        page.get_by_test_id(f"open-case-{cw.finding.pk}").click()
        expect(page.get_by_test_id("case-state")).to_have_text("已立案")
        expect(page.get_by_test_id("case-findings")).to_contain_text(cw.finding.summary)

        note = page.get_by_test_id("note-form")
        note.get_by_label("核查记录").fill("抽查签到表与在位学员，发现 2 人代签")
        note.get_by_label("证据材料（PDF、JPG、PNG，不超过10MB）").set_input_files(str(scan))
        page.get_by_test_id("add-note").click()
        expect(page.get_by_test_id("case-state")).to_have_text("核查中")
        expect(page.get_by_test_id("case-notes")).to_contain_text("发现 2 人代签")
        expect(page.get_by_test_id("case-notes")).to_contain_text("签到表.pdf")

        form = page.get_by_test_id("conclude-form")
        form.get_by_label("追缴补贴").check()
        form.get_by_label("结论说明").fill("代签属实，追缴该班补贴")
        expect(page.get_by_test_id("recover-lines").locator("input:checked")).to_have_count(28)
        shot(page, "case-before-conclusion")
        page.get_by_test_id("conclude").click()
        expect(page.get_by_test_id("case-state")).to_have_text("已办结：追缴")
        outcome = page.get_by_test_id("case-outcome")
        expect(outcome).to_contain_text(cw.claim.title)
        paid = Disbursement.objects.get(claim=cw.claim)
        expect(outcome).to_contain_text(f"{paid.amount:,.2f} 元")
        shot(page, "case-concluded")

        outcome.get_by_role("link", name=cw.claim.title).click()
        expect(page.locator("body")).to_contain_text("追缴")
        expect(page.locator("body")).to_contain_text("核查案件")
        shot(page, "case-claim-shows-recovery")

    case = Case.objects.get()
    assert case.state == Case.State.RECOVERY and case.recoveries.count() == 1
    paid.refresh_from_db()
    assert paid.recovered == paid.amount
