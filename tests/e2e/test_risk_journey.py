"""Journey: an inspector follows risk to the field (issue 15).

He opens the risk ranking, where the institution with the heaviest findings is on top; opens
its findings behind the score and one finding's evidence; then the inspection plan, whose
first class is that institution's, marked high risk with the reason it was drawn. A county
bureau of another county sees none of it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from chizheng.accounts.models import Role
from chizheng.core import clock
from chizheng.org.models import County
from chizheng.registry.models import Institution
from chizheng.supervision.models import Finding
from chizheng.supervision.tests.classes import make_class
from chizheng.training.models import TrainingClass

from .conftest import login, logout, shot
from .test_content_security_policy import LISTEN

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DAY = dt.date(2022, 6, 15)


def _finding(inst: Institution, score: str, summary: str, on: TrainingClass) -> Finding:
    n = Finding.objects.count() + 1
    return Finding.objects.create(
        year=2022,
        kind="sign_in_above_present",
        clause="§21",
        key=f"sign_in_above_present:{n}",
        summary=summary,
        subjects=[{"kind": "institution", "id": inst.pk, "label": inst.name}],
        evidence={
            "columns": ["检查", "签到人数", "在位人数"],
            "rows": [["培训期间检查", 30, 24]],
            "compared": "签到 30 人 > 在位 24 人",
        },
        classes=[on.pk],
        score=Decimal(score),
        county=inst.county,
        institution=inst,
        found_at=timezone.now(),
    )


def test_an_inspector_follows_risk_to_the_inspection_plan(
    live_server: Any, page: Page, make_user: Any, make_institution: Any, city: Any
) -> None:
    base = live_server.url
    with clock.freeze(DAY):
        risky = make_institution("410402", name="新华代签学校")
        calm = make_institution("410402", name="新华规范学校")
        start = DAY - dt.timedelta(days=5)
        # the calm school's classes opened first: without risk they would lead the plan
        calm_classes = [make_class(calm, start - dt.timedelta(days=40), opened=True)]
        calm_classes.append(make_class(calm, start - dt.timedelta(days=3), opened=True))
        risky_class = make_class(risky, start, opened=True)
        _finding(risky, "30", "2022-代签-01 培训期间检查：签到 30 人，在位 24 人", risky_class)
        _finding(risky, "10", "2022-代签-02 培训期间检查：签到 14 人，在位 12 人", risky_class)
        _finding(calm, "5", "2022-规范-01 培训期间检查：签到 21 人，在位 20 人", calm_classes[0])
        inspector = make_user(Role.INSPECTOR, county=County.objects.get(code="410402"))
        other = make_user(Role.COUNTY_HR, county=County.objects.get(code="410482"))

    page.context.add_init_script(LISTEN)  # the pages' Content-Security-Policy violations
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    with clock.freeze(DAY):
        login(page, base, inspector.username)
        page.goto(f"{base}/supervision/risk/")
        first = page.get_by_test_id("risk-institution").locator("tbody tr").first
        expect(first).to_contain_text("新华代签学校")
        expect(first).to_contain_text("40.00")
        expect(first).to_contain_text("高风险")
        shot(page, "risk-ranking")

        first.get_by_role("link", name="新华代签学校").click()
        expect(page.get_by_test_id("risk-subject")).to_contain_text("新华代签学校（培训机构）")
        expect(page.get_by_test_id("risk-score")).to_have_text("40.00")
        rows = page.get_by_test_id("risk-findings").locator("tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.first).to_contain_text("2022-代签-01")
        shot(page, "risk-subject")

        rows.first.get_by_role("link").first.click()
        expect(page.get_by_test_id("finding-compared")).to_contain_text("签到 30 人 > 在位 24 人")

        page.locator("header.topbar").get_by_role("link", name="检查计划").click()
        plan = page.get_by_test_id("inspection-plan").locator("tbody tr")
        expect(plan.first).to_contain_text(risky_class.batch)
        expect(plan.first.get_by_test_id("plan-risk")).to_have_text("40.00 高风险")
        expect(plan.first).to_contain_text("高风险抽取 100%")
        shot(page, "risk-inspection-plan")

        page.goto(f"{base}/supervision/")
        page.get_by_test_id("supervision-nav").get_by_role("link", name="线索统计").click()
        expect(page.get_by_test_id("total")).to_have_text("3")
        months = page.get_by_test_id("by-month").locator("tbody tr")
        expect(months).to_have_count(2)  # the calm school's May class, the June ones
        expect(months.first).to_contain_text("2022-05")
        chart = page.locator("#findings-chart canvas")
        expect(chart).to_have_count(1)
        box = chart.bounding_box()
        assert box is not None and box["width"] > 300
        chart.hover(position={"x": box["width"] / 3, "y": box["height"] / 2})  # the tooltip
        page.wait_for_timeout(300)
        assert page.evaluate("window.__csp") == [] and errors == []
        shot(page, "findings-dashboard")
        logout(page)

        login(page, base, other.username)
        page.goto(f"{base}/supervision/risk/")
        expect(page.get_by_test_id("risk-institution")).to_contain_text(
            "没有涉及培训机构的待核查线索"
        )
        expect(page.locator("body")).not_to_contain_text("新华代签学校")
