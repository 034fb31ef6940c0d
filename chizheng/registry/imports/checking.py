"""Checking a whole file against its kind: every row read, every bad cell and every duplicate
reported by row number and column header (``RowError``), formula cells refused, the clean
rows kept (``Checked``); progress told every ``REPORT_EVERY`` rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chizheng.accounts.models import ScopeKind
from chizheng.core.errors import ValidationError

from .context import Context
from .reading import Formula, read_rows
from .schemas import Kind

# Told how many rows are done so far (a job's progress).
OnRows = Callable[[int], None]


MAX_ROWS = 200_000


REPORT_EVERY = 1000  # rows between two progress reports


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class Checked:
    """The result of checking a file: clean rows and every error."""

    total: int = 0
    good: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})


FORMULA_REASON = "该单元格是公式，请改为直接填写内容（可复制后“选择性粘贴—数值”）"


def count_rows(content: bytes, filename: str) -> int:
    """The number of non-empty data rows (a first, quick pass: the total of the progress)."""
    _headers, rows = read_rows(content, filename)
    return sum(1 for _ in rows)


def check_file(
    *, kind: Kind, content: bytes, filename: str, ctx: Context, on_rows: OnRows | None = None
) -> Checked:
    """Check every row; collect every error (row number, column header, Chinese reason)."""
    headers, rows = read_rows(content, filename)
    by_header = {c.header: c for c in kind.columns}
    positions: dict[str, int] = {}
    for i, h in enumerate(headers):
        col = by_header.get(h)
        if col is not None and col.key not in positions:
            positions[col.key] = i
    result = Checked()
    missing = [c for c in kind.columns if c.required and c.key not in positions]
    # A county user's people file may leave out the county column: it defaults to his own.
    missing = [c for c in missing if not (c.key == "county" and _county_defaults(ctx))]
    if missing:
        for c in missing:
            result.errors.append(RowError(1, c.header, "缺少此列，请使用下载的模板"))
        return result
    seen: dict[Any, int] = {}
    for n, cells in rows:
        result.total += 1
        if on_rows is not None and result.total % REPORT_EVERY == 0:
            on_rows(result.total)
        if result.total > MAX_ROWS:
            raise ValidationError(
                f"单个文件不能超过{MAX_ROWS}行", message_en=f"at most {MAX_ROWS} rows"
            )
        raw = {key: (cells[i] if i < len(cells) else "") for key, i in positions.items()}
        row_errors: list[RowError] = []
        # A formula cell gets one error of its own; the row's other cells are checked as usual.
        formulas = [key for key, v in raw.items() if isinstance(v, Formula)]
        for key in formulas:
            row_errors.append(RowError(n, kind.header(key), FORMULA_REASON))
            raw[key] = ""

        def bad(
            key: str,
            reason: str,
            n: int = n,
            row_errors: list[RowError] = row_errors,
            formulas: list[str] = formulas,
        ) -> None:
            if key not in formulas:
                row_errors.append(RowError(n, kind.header(key), reason))

        clean = kind.check(raw, ctx, bad)
        if clean is not None and not row_errors:
            identity = kind.key(clean)
            first = seen.get(identity)
            if first is not None:
                row_errors.append(RowError(n, kind.header(kind.key_column), f"与第{first}行重复"))
            else:
                seen[identity] = n
                clean["_row"] = n
                result.good.append(clean)
        if row_errors:
            result.errors.extend(row_errors)
    return result


def _county_defaults(ctx: Context) -> bool:
    return (
        ctx.actor.scope_kind == ScopeKind.COUNTY and bool(ctx.actor.county_id)
    ) or ctx.institution is not None
