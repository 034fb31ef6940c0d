"""Reading allocation weights (``name,weight`` CSV) and ``NAME=VALUE`` fixes; every bad row reported."""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation

from chizheng.core.errors import ValidationError


def _number(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def weights_parse(text: str) -> list[tuple[str, Decimal]]:
    """``name,weight`` rows in order; an optional header row ``name,weight`` is skipped."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    problems: list[str] = []
    out: list[tuple[str, Decimal]] = []
    seen: set[str] = set()
    for line, row in enumerate(rows, start=1):
        if not row or all(not cell.strip() for cell in row):
            continue
        if line == 1 and [c.strip().lower() for c in row] in (["name", "weight"], ["名称", "权重"]):
            continue
        if len(row) != 2:
            problems.append(f"第{line}行应为“名称,权重”两列，实有{len(row)}列")
            continue
        name, raw = row[0].strip(), row[1]
        weight = _number(raw)
        if not name:
            problems.append(f"第{line}行缺少名称")
        elif weight is None:
            problems.append(f"第{line}行权重“{raw.strip()}”不是数字")
        elif weight < 0:
            problems.append(f"第{line}行“{name}”的权重为负数（{weight}）")
        elif name in seen:
            problems.append(f"第{line}行名称“{name}”重复")
        else:
            seen.add(name)
            out.append((name, weight))
    if not out and not problems:
        problems.append("文件中没有权重数据")
    if problems:
        raise ValidationError(
            "权重文件有误：" + "；".join(problems),
            message_en="the weights file is invalid",
            detail={"problems": problems},
        )
    return out


def fixes_parse(items: list[str], *, names: list[str]) -> dict[str, Decimal]:
    """``NAME=VALUE`` pairs; each name must be one of the weight file's names."""
    problems: list[str] = []
    out: dict[str, Decimal] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name = name.strip()
        value = _number(raw) if sep else None
        if not sep or not name:
            problems.append(f"--fix “{item}”应为“名称=数值”")
        elif name not in names:
            problems.append(f"--fix 的名称“{name}”不在权重文件中")
        elif value is None:
            problems.append(f"--fix “{item}”的数值不是数字")
        elif value < 0:
            problems.append(f"--fix “{name}”的数值为负数")
        elif name in out:
            problems.append(f"--fix “{name}”重复")
        else:
            out[name] = value
    if problems:
        raise ValidationError(
            "固定值有误：" + "；".join(problems),
            message_en="invalid --fix values",
            detail={"problems": problems},
        )
    return out
