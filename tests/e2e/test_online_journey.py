"""Journey: the office acts on a platform's void online learning (§20(3)), in Chromium.

Two platforms have pushed learning logs; the audit has run and its result is in the system.
The city office opens the platforms' dashboard from the top bar, sees the first platform's
share of void time (10 %, all fast-forward) in the table beside the chart, opens a learner's
void segments (rule and clause), goes back and confirms the platform's violation; the
platform is banned for the policy's two years and its next upload through the API is
refused, while the other platform's still goes in.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from chizheng.core import clock
from chizheng.online.tests.logs import Log, ndjson
from chizheng.online.tests.world import build
from chizheng.registry.models import Sanction

from .conftest import login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_office_bans_a_platform_from_its_void_share(
    live_server,
    page: Page,
    make_user,
    make_institution,
    make_person,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = live_server.url
    monkeypatch.setenv("CHIZHENG_ONLINE_DIR", str(tmp_path / "online"))
    with clock.freeze(dt.date(2022, 6, 10)):
        w = build(make_user, make_institution, make_person)
        w.office.display_name = "市人社局"
        w.office.save()

        login(page, base, w.office.username)
        page.get_by_role("link", name="线上平台").click()
        expect(page.get_by_test_id("platform-totals")).to_contain_text("平台一")
        expect(page.get_by_test_id(f"void-share-{w.p1.pk}")).to_have_text("10.0%")
        expect(page.get_by_test_id(f"void-share-{w.p2.pk}")).to_have_text("0.0%")
        expect(page.locator("#online-chart canvas")).to_have_count(1)
        expect(page.get_by_test_id("platform-periods")).to_contain_text("2022-06-01")
        shot(page, "online-01-platform-dashboard")

        page.goto(f"{base}/online/learners/{w.a1.pk}/")
        expect(page.get_by_test_id("void-segments")).to_contain_text("快进播放（§20(3)）")
        expect(page.get_by_test_id("credited")).to_have_text("2")
        shot(page, "online-02-void-segments")

        page.goto(f"{base}/online/")
        form = page.get_by_test_id(f"confirm-{w.p1.pk}")
        form.get_by_label("违规日期").fill("2022-06-02")
        form.get_by_label("违规事实").fill("快进播放，无效学时占10%")
        form.get_by_role("button", name="确认违规并禁入").click()
        expect(page.get_by_role("status")).to_contain_text("已确认违规")
        expect(page.get_by_role("status")).to_contain_text("至2024-06-01")
        shot(page, "online-03-violation-confirmed")

        ban = Sanction.objects.get(institution=w.p1)
        assert ban.kind == Sanction.Kind.PLATFORM_BAN and ban.clause == "§20(3)"

        def upload(code: str, start: float) -> tuple[int, dict[str, str]]:
            r = page.request.post(
                f"{base}/api/v1/online/platforms/{code}/events",
                data=ndjson(Log(platform=code).play(start, start + 300).rows),
                headers={
                    "Authorization": f"Bearer {w.tokens[code]}",
                    "Content-Type": "application/x-ndjson",
                },
            )
            return r.status, r.json()

        status, body = upload("P1", 9000)
        assert status == 409 and body["code"] == "platform_banned"
        assert "参与补贴性线上培训" in body["message"]
        status, _ = upload("P2", 9000)
        assert status == 200
