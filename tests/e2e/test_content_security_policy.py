"""Journey: the city office goes through the main pages under the Content-Security-Policy.

The demo city-year is loaded; the city officer signs in and opens his home page, the
registries, the classes and one class, the plan dashboard (its chart, with a tooltip), the
plan's reports, the online platforms' dashboard (its chart), the subsidies, the API docs and
the admin. Chromium reports no CSP violation and no script error on any of them: every
script and style comes from the site's static files, nothing inline.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from chizheng import demo
from chizheng.core import clock
from chizheng.demo.training import DEMO_TODAY
from chizheng.training.models import TrainingClass

from .conftest import login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Collects the browser's securitypolicyviolation events before any page script runs
# (Playwright's init scripts are not subject to the page's policy).
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


def _violations(page: Page) -> list[str]:
    return list(page.evaluate("window.__csp"))


def test_main_pages_pass_the_content_security_policy(
    live_server, page: Page, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHIZHENG_ONLINE_DIR", str(tmp_path / "online"))
    base = live_server.url
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "response",
        lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    page.context.add_init_script(LISTEN)

    with clock.freeze(DEMO_TODAY):
        demo.build(people=120)
        training_class = TrainingClass.objects.order_by("pk").first()
        assert training_class is not None
        login(page, base, "city", demo.PASSWORD)

        pages = {
            "home": ("/", "home-title"),
            "registry": ("/registry/", None),
            "classes": ("/classes/", None),
            "class": (f"/classes/{training_class.pk}/", None),
            "plan": ("/plan/", "indicator-table"),
            "plan-report": ("/plan/reports/", None),
            "online": ("/online/", "platform-totals"),
            "subsidy": ("/subsidy/", None),
            "api-docs": ("/api/v1/docs", None),
            "admin": ("/admin/", None),
        }
        for name, (path, testid) in pages.items():
            response = page.goto(f"{base}{path}")
            assert response is not None and response.status == 200, (path, response)
            assert "default-src 'self'" in (response.header_value("content-security-policy") or "")
            if testid:
                expect(page.get_by_test_id(testid)).to_be_visible()
            page.wait_for_load_state("networkidle")
            if name in ("plan", "online"):
                chart = page.locator(f"#{name}-chart canvas")
                expect(chart).to_have_count(1)
                box = chart.bounding_box()
                assert box is not None and box["width"] > 300 and box["height"] > 200
                # The tooltip (drawn on hover) must not need inline styles either.
                chart.hover(position={"x": box["width"] / 3, "y": box["height"] / 2})
                page.wait_for_timeout(300)
            shot(page, f"csp-{name}")
            assert _violations(page) == [], (path, _violations(page))
            assert problems == [], (path, problems)

        # And the policy is really enforced: an inline script put into the page does not run.
        page.goto(f"{base}/")
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.__ran = true'; document.body.appendChild(s); }"
        )
        assert page.evaluate("window.__ran === undefined")
        assert any("script-src" in v for v in _violations(page))
