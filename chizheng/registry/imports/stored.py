"""The checked rows kept between the two jobs: packed as JSON once a file is checked (stored
encrypted: they hold ID numbers), unpacked when the import is confirmed, every reference to
another record verified again (``REFERENCES``).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from .cells import _Bad
from .checking import Checked, RowError
from .context import Context
from .schemas import Kind

# Fields of a clean row that refer to other records, re-verified when the import is confirmed.
REFERENCES: dict[str, dict[str, str]] = {
    "people": {
        "county": "county",
        "employer": "institution",
        "post_occupation": "occupation",
        "former_occupation": "occupation",
        "school": "institution",
        "major_occupation": "occupation",
    },
    "institutions": {"county": "county", "department": "department", "credit_code": "credit_code"},
    "teachers": {
        "institution": "own_institution",
        "occupations": "occupations",
        "certificate_occupation": "occupation",
    },
}
REFERENCES["roster"] = REFERENCES["people"]
DATE_KEYS = ("transferred_on", "filed_on")


def _pack(rows: list[dict[str, Any]]) -> str:
    """The checked rows, as JSON (stored encrypted: they hold ID numbers) — so that confirming
    does not read and check the file a second time."""
    out = []
    for r in rows:
        d = dict(r)
        for key in ("county", "department"):
            if key in d and d[key] is not None:
                d[key] = d[key].pk
        for key in DATE_KEYS:
            if d.get(key):
                d[key] = d[key].isoformat()
        out.append(d)
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def _unpack(kind: Kind, text: str, ctx: Context) -> Checked:
    """The stored rows, each reference verified again (the registry may have changed since)."""
    result = Checked()
    occupations = set(ctx.occupations.values())
    institutions = {pk for pk, _kind, _county in ctx.institutions.values()}
    departments = {d.pk: d for d in ctx.departments.values()}
    for d in json.loads(text or "[]"):
        row = d["_row"]
        problems: list[tuple[str, str]] = []
        for key, ref in REFERENCES[kind.name].items():
            value = d.get(key)
            try:
                if ref == "county":
                    d[key] = ctx.county(str(value))
                elif ref == "department":
                    d[key] = departments[value] if value else None
                    if value and value not in departments:
                        raise _Bad("部门已不存在")
                elif ref == "credit_code":
                    known = ctx.institutions.get(value)
                    if known and known[0] not in ctx.visible_institutions:
                        raise _Bad("该机构已由其他县（市、区）登记，无权修改")
                elif ref == "occupation" and value is not None and value not in occupations:
                    raise _Bad("该职业编码已停用")
                elif ref == "occupations" and any(v not in occupations for v in value):
                    raise _Bad("有职业编码已停用")
                elif ref == "institution" and value is not None and value not in institutions:
                    raise _Bad("该机构已不存在")
                elif ref == "own_institution" and value not in ctx.visible_institutions:
                    raise _Bad("该机构已不存在或无权操作")
            except (_Bad, KeyError) as e:
                problems.append(
                    (
                        key,
                        f"上传校验后已发生变化：{e}"
                        if isinstance(e, _Bad)
                        else "上传校验后已发生变化",
                    )
                )
        for key in DATE_KEYS:
            if d.get(key):
                d[key] = dt.date.fromisoformat(d[key])
        if problems:
            result.errors.extend(RowError(row, kind.header(k), reason) for k, reason in problems)
        else:
            result.good.append(d)
    return result
