"""Journey: from risk to money returned, through the real pages (issue 15's whole journey).

An inspector of the county opens the risk ranking, goes to the top-risk institution, opens
one of its findings and opens a case (核查) from it, and records what he found; the city
office concludes the case with a recovery of the class's paid subsidy; the quarter's fund
bulletin then shows the amount recovered."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from chizheng.core import clock
from chizheng.core.models import AuditEvent
from chizheng.subsidy.models import Disbursement
from chizheng.supervision.models import Case
from chizheng.supervision.tests.conftest import CASE_DAY, CaseWorld
from chizheng.supervision.tests.conftest import cw as cw
from chizheng.supervision.tests.conftest import money as money
from chizheng.supervision.tests.conftest import world as world

from .conftest import login, logout, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_risk_to_case_to_recovery_in_the_bulletin(live_server, page: Page, cw: CaseWorld) -> None:
    base = live_server.url
    assert cw.claim.training_class is not None
    institution = cw.claim.training_class.institution
    paid = Disbursement.objects.get(claim=cw.claim)
    with clock.freeze(CASE_DAY):
        login(page, base, cw.inspector.username)
        page.goto(f"{base}/supervision/risk/")
        top = page.get_by_test_id("risk-institution").locator("tbody tr").first
        expect(top).to_contain_text(institution.name)
        top.get_by_role("link", name=institution.name).click()
        finding = page.get_by_test_id("risk-findings").locator(
            f'tr[data-finding="{cw.finding.pk}"]'
        )
        finding.get_by_role("link").first.click()
        expect(page.get_by_test_id("finding-summary")).to_have_text(cw.finding.summary)
        page.get_by_test_id("open-case").click()
        expect(page.get_by_test_id("case-state")).to_have_text("已立案")
        case_page = page.url
        page.get_by_test_id("note-form").get_by_label("核查记录").fill("现场核对签到表，2 人代签")
        page.get_by_test_id("add-note").click()
        expect(page.get_by_test_id("case-state")).to_have_text("核查中")
        shot(page, "journey-case-investigating")
        logout(page)

        login(page, base, cw.office.username)
        page.goto(case_page)
        form = page.get_by_test_id("conclude-form")
        form.get_by_label("追缴补贴").check()
        form.get_by_label("结论说明").fill("代签属实，追缴该班补贴")
        page.get_by_test_id("conclude").click()
        expect(page.get_by_test_id("case-state")).to_have_text("已办结：追缴")

        page.goto(f"{base}/subsidy/bulletin/")
        totals = page.get_by_test_id("by-county").locator("tr", has_text="合计")
        written = f"{paid.amount:,.2f}"  # as finance writes money
        expect(totals).to_contain_text(written)  # paid this quarter, and recovered
        expect(totals.locator("th").last).to_have_text(written)
        shot(page, "journey-bulletin-recovered")

    case = Case.objects.get()
    assert case.state == Case.State.RECOVERY
    assert AuditEvent.objects.get(action="case.recovery").actor == cw.office
    paid.refresh_from_db()
    assert paid.recovered == paid.amount
