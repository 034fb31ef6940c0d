"""Accessibility (issue 16): axe-core (installed from npm, injected into each page) over the
pages eleven demo roles reach from their homes and the public pages: no serious or critical
violation. The pages a role reaches are fetched breadth first, ``PAGES`` a role."""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from chizheng import demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ROLES = (
    "city",
    "leader",
    "xinhua",
    "miit1",
    "finance",
    "inspector",
    "jsxy",
    "jdzx",
    "platform",
    "worker",
    "xueyuan",
)
PUBLIC = ["/login/", "/notices/", "/registry/public/blacklist/", "/verify/"]
PAGES = 20
SKIP = ("/static", "/api", "/admin", "/i18n", "/account/logout", "/logout", "/media")
RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => [v.id, v.impact, v.nodes.length, v.nodes[0].target.join(' ')]);
}"""


def _crawl(
    page: Page, base: str, start: list[str], found: Counter[str], where: dict[str, str]
) -> int:
    seen: set[str] = set()
    queue = list(start)
    while queue and len(seen) < PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(base + url)
        if (
            response is None
            or response.status != 200
            or "text/html" not in (response.headers.get("content-type") or "")
        ):
            continue
        page.add_script_tag(path=str(AXE))
        for rule, impact, nodes, target in page.evaluate(RUN):
            key = f"{rule} ({impact})"
            found[key] += nodes
            where.setdefault(key, f"{url}: {target}")
        for href in re.findall(r'href="(/[^"#]*)"', page.content()):
            href = html.unescape(href)
            if href.startswith(SKIP) or any(w in href for w in ("export", "xlsx", "pdf")):
                continue
            if href not in seen:
                queue.append(href)
    return len(seen)


def test_no_serious_or_critical_violation(live_server, browser: Browser) -> None:
    assert AXE.exists(), "npm ci installs axe-core (a devDependency)"
    demo.build(people=30, areas=("registry", "plan", "training", "subsidy"))
    found: Counter[str] = Counter()
    where: dict[str, str] = {}
    pages = 0
    for username in (None, *ROLES):
        # the page's own CSP forbids inline scripts: the test's context lets axe in
        context = browser.new_context(locale="zh-CN", bypass_csp=True)
        page = context.new_page()
        if username is None:
            pages += _crawl(page, live_server.url, PUBLIC, found, where)
        else:
            page.goto(f"{live_server.url}/login/")
            page.get_by_label("用户名").fill(username)
            page.get_by_label("密码").fill(demo.PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.get_by_test_id("home-title").wait_for()
            pages += _crawl(page, live_server.url, ["/"], found, where)
        context.close()
    assert pages >= 150, pages
    assert not found, {k: (n, where[k]) for k, n in found.most_common()}
