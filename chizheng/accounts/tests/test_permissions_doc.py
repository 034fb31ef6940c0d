"""docs/architecture.md lists the permission table as the code has it: every action, each
grant's role and path, and nothing the table lacks."""

from __future__ import annotations

import re
from pathlib import Path

from chizheng.accounts import permissions

DOC = Path(__file__).resolve().parents[3] / "docs" / "architecture.md"


def _row(action: str) -> str:
    grants = ", ".join(
        g.role + (f" over `{g.over}`" if g.over else "") for g in permissions.TABLE[action]
    )
    return f"| `{action}` | {grants} |"


def test_the_architecture_document_lists_the_table_as_the_code_has_it() -> None:
    text = DOC.read_text(encoding="utf-8")
    documented = re.findall(r"^\| `([a-z_.]+)` \| .* \|$", text, re.M)
    # A dotted name is an action, unless it is a module (the review component's table of
    # files uses the same row shape: | `chain.py` | … |).
    listed = [
        a for a in documented if a in permissions.TABLE or ("." in a and not a.endswith(".py"))
    ]
    assert sorted(set(listed)) == sorted(permissions.TABLE)
    for action in permissions.TABLE:
        assert _row(action) in text, action
