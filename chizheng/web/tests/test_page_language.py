"""No page shown in Chinese holds a rule or parameter code or an English sentence outside the
language switch (issue 16): as eleven demo roles, every page reachable from the home page by
its links (up to ``PAGES`` a role; exports, the API and the admin left out) is fetched and
its visible text scanned."""

from __future__ import annotations

import dataclasses
import html
import re
from collections import Counter

import pytest
from django.test import Client

from chizheng import demo
from chizheng.accounts.models import User
from chizheng.demo import simulate as demo_simulate

pytestmark = pytest.mark.django_db

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
PAGES = 80  # a role's pages, breadth first from his home
SKIP = ("/static", "/api", "/admin", "/i18n", "/account/logout", "/logout", "/media")
# a code as records keep it: class.max_size, supervision.risk_bands, standards.py
CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*\.[a-z][a-z0-9_]*(?:\.[a-z0-9_*]+)*\b")
# two or more English words (a data code such as PDS-PJ or 6-18-02-05 is not one)
ENGLISH = re.compile(r"\b[A-Za-z][a-z]+(?:[ ,'-]+[A-Za-z][a-z]+)+\b")
ALLOWED = {"English"}  # the language switch


def visible_text(page: str) -> str:
    page = re.sub(r"(?s)<(script|style|svg|title)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<!--.*?-->", " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _links(body: str) -> list[str]:
    out = []
    for href in re.findall(r'href="(/[^"#]*)"', body):
        href = html.unescape(href)
        if href.startswith(SKIP) or any(w in href for w in ("export", "xlsx", "pdf", "format=")):
            continue
        out.append(href)
    return out


def test_chinese_pages_show_no_code_and_no_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        demo_simulate,
        "SCALE",
        dataclasses.replace(
            demo_simulate.SCALE, classes_per_county=12, counties=("410402", "410425")
        ),
    )
    demo.build(people=30)
    found: Counter[str] = Counter()
    where: dict[str, str] = {}
    fetched = 0
    for username in ROLES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        seen: set[str] = set()
        queue = ["/"]
        while queue and len(seen) < PAGES:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            fetched += 1
            body = response.content.decode()
            assert '<html lang="zh-hans">' in body, url
            text = visible_text(body)
            for hit in CODE.findall(text) + ENGLISH.findall(text):
                if hit not in ALLOWED:
                    found[hit] += 1
                    where.setdefault(hit, f"{username} {url}")
            queue.extend(u for u in _links(body) if u not in seen)
    assert fetched >= 300, fetched  # the crawl reached the pages, not just the homes
    assert not found, {hit: (n, where[hit]) for hit, n in found.most_common(20)}
