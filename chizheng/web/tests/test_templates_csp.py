"""No template holds what the Content-Security-Policy refuses: an inline script, an inline
style (attribute or element), an event-handler attribute or a javascript: URL.

The browser test (tests/e2e/test_content_security_policy.py) proves the main pages pass; this
catches every other template, including ones added later, without a browser.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(ROOT.glob("*/templates/**/*.html"))

REFUSED = {
    "inline style attribute": re.compile(r"\sstyle\s*=", re.I),
    "<style> element": re.compile(r"<style[\s>]", re.I),
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I),
    "event-handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def test_there_are_templates() -> None:
    assert len(TEMPLATES) > 20


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_needs_no_unsafe_inline(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    found = [
        f"{what}: {m.group(0).strip()!r} (line {text.count(chr(10), 0, m.start()) + 1})"
        for what, pattern in REFUSED.items()
        for m in pattern.finditer(text)
    ]
    assert found == [], "move it to a static file or a CSS class (docs/adr/0002)"
