"""Occupation codes of the national occupational classification (国家职业分类大典) and the
two relations the rules of §19 need: "same or similar occupation" and "same classification".

Pure Python. A code is ``major-medium-minor-detail``, e.g. ``6-18-02-05``: 大类 (one digit),
中类, 小类 and 细类 (职业) (two digits each). This module is the one place that defines:

- **similar** (相近): the same minor group (小类), i.e. the first three segments are equal.
  An enterprise employee may train in his post's occupation or a similar one (§19).
- **same classification** (同一职业分类): the same medium group (中类), i.e. the first two
  segments are equal. A transferred employee must train outside the former occupation's
  classification (§19).

The occupation registry reuses these functions; it must not define its own.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from chizheng.core.errors import ValidationError

_CODE = re.compile(r"^([1-8])-(\d{2})-(\d{2})-(\d{2})$")

# The 2022 classification as the registry ships it (data, not an import: this module stays
# pure); ``rules check --occupations`` can name another list.
CLASSIFICATION_FILE = (
    Path(__file__).resolve().parents[1] / "registry" / "data" / "occupations-2022.csv"
)


class BadOccupationCode(ValidationError):
    code = "occupation_code_invalid"


@dataclass(frozen=True, order=True)
class OccupationCode:
    major: str
    medium: str
    minor: str
    detail: str

    def __str__(self) -> str:
        return f"{self.major}-{self.medium}-{self.minor}-{self.detail}"

    @property
    def minor_group(self) -> str:
        return f"{self.major}-{self.medium}-{self.minor}"

    @property
    def medium_group(self) -> str:
        return f"{self.major}-{self.medium}"


def parse(code: str) -> OccupationCode:
    m = _CODE.match(code.strip())
    if not m:
        raise BadOccupationCode(
            f"职业编码 {code!r} 格式错误，应为“大类-中类-小类-细类”，如 6-18-02-05",
            message_en=f"occupation code {code!r} must look like 6-18-02-05",
            detail={"code": code},
        )
    return OccupationCode(*m.groups())


def is_well_formed(code: str) -> bool:
    return _CODE.match(code.strip()) is not None


def similar(a: str, b: str) -> bool:
    """Same or similar occupation (相同或相近): the same minor group (小类)."""
    return parse(a).minor_group == parse(b).minor_group


def same_classification(a: str, b: str) -> bool:
    """Both occupations belong to the same classification (同一职业分类): the same medium group."""
    return parse(a).medium_group == parse(b).medium_group


def load_codes(path: Path | None = None) -> dict[str, str]:
    """Read a CSV with a header naming ``code`` and ``name``; returns code -> Chinese name.

    If it has a ``level`` column (the registry's ``code,name,level,parent``), only rows of
    level ``occupation`` are kept: a class is for an occupation, never for a group.
    """
    path = path or CLASSIFICATION_FILE
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    codes: dict[str, str] = {}
    for n, row in enumerate(rows, start=2):
        if row.get("level") not in (None, "occupation"):
            continue
        code = (row.get("code") or "").strip()
        if not code:
            raise BadOccupationCode(
                f"{path} 第 {n} 行缺少职业编码", message_en=f"{path} line {n}: no code"
            )
        codes[str(parse(code))] = (row.get("name") or "").strip()
    return codes


def unknown(codes: Iterable[str], known: Collection[str]) -> list[str]:
    """The codes that are malformed or not in ``known``, in input order."""
    return [c for c in codes if not is_well_formed(c) or c not in known]
