"""The cell parsers of an import: each takes one cell and returns its value or raises
``_Bad`` with the reason in Chinese (a bad cell makes a bad row). Text, dates (Excel's
serial numbers too), integers, ID numbers, phones, credit codes, yes/no, choice columns.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from chizheng.core import ids, inputs, spreadsheet

from ..models import Institution, KeyGroup, TeacherCertificate

EXCEL_EPOCH = dt.date(1899, 12, 30)


class _Bad(Exception):
    pass


def _text(v: Any, *, max_len: int) -> str:
    s = str(v).strip() if v != "" else ""
    if len(s) > max_len:
        raise _Bad(f"不能超过{max_len}个字")
    if spreadsheet.starts_formula(s):
        raise _Bad("不能以“=”开头：表格软件会把它当作公式执行")
    at = inputs.first_control_character(s)
    if at is not None:
        raise _Bad(inputs.control_character_reason(at, s))
    return s


def _date(v: Any) -> dt.date | None:
    if v == "":
        return None
    if isinstance(v, dt.date):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        # An Excel date cell: days since 1899-12-30 (the 1900 date system).
        if not 1 <= v <= 2958465:
            raise _Bad("日期格式错误，应为如 2022-03-01")
        return EXCEL_EPOCH + dt.timedelta(days=int(v))
    s = str(v).strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise _Bad(f"日期“{s}”格式错误，应为如 2022-03-01")


def _int(v: Any, *, low: int, high: int, what: str) -> int | None:
    if v == "":
        return None
    try:
        n = int(float(v)) if not isinstance(v, int) else v
    except (TypeError, ValueError, OverflowError):  # "abc", "1e400" (infinite)
        raise _Bad(f"{what}应为整数") from None
    if not low <= n <= high:
        raise _Bad(f"{what}应在{low}至{high}之间")
    return n


def _id_number(v: Any) -> str:
    if isinstance(v, (int, float)):
        raise _Bad("身份证号码被存为数字（末位可能已丢失），请将该列设为文本格式后重新填写")
    if v == "":
        raise _Bad("必填")
    result = ids.check(str(v))
    if not result.valid:
        raise _Bad(result.reason)
    return result.number


def _phone(v: Any) -> str:
    s = str(int(v)) if isinstance(v, (int, float)) else ids.normalise_phone(str(v))
    if s and not ids.is_mobile(s):
        raise _Bad("手机号码应为以1开头的11位数字")
    return s


def _credit_code(v: Any) -> str:
    s = str(v).strip().upper()
    if s and (len(s) != 18 or not s.isalnum()):
        raise _Bad("统一社会信用代码应为18位字母或数字")
    return s


class Choices:
    """A choice column: accepts the Chinese label or the code (looked up once, not per row)."""

    def __init__(self, choices: Any, what: str) -> None:
        pairs = [(str(value), str(label)) for value, label in choices]
        self.lookup = {k: value for value, label in pairs for k in (value, label)}
        self.reason = f"不在可选范围内（{'、'.join(label for _, label in pairs)}）"
        self.what = what

    def __call__(self, v: Any) -> str:
        if v == "":
            return ""
        s = str(v).strip()
        found = self.lookup.get(s)
        if found is None:
            raise _Bad(f"{self.what}“{s}”{self.reason}")
        return found


KEY_GROUPS = Choices(KeyGroup.choices, "重点群体")
INSTITUTION_KINDS = Choices(Institution.Kind.choices, "机构类型")
EVALUATOR_KINDS = Choices(Institution.EvaluatorKind.choices, "评价机构类别")
CERTIFICATE_KINDS = Choices(TeacherCertificate.Kind.choices, "资格证书类型")


def _yes_no(v: Any) -> bool:
    s = str(v).strip()
    if s in ("是", "专职", "Y", "y", "1", "true", "True"):
        return True
    if s in ("否", "兼职", "N", "n", "0", "false", "False"):
        return False
    raise _Bad("应填“是”或“否”")


def _raise(reason: str) -> Any:
    raise _Bad(reason)
