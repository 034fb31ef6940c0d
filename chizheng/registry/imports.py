"""Import of institutions, teachers, people and rosters from .xlsx or .csv.

Two steps, each a background job with progress (rows done / total): ``import_upload`` keeps
the file and queues ``run_validation``, which checks every row (nothing is written but the
import and its report); ``import_confirm`` queues ``run_commit``, which writes. A file with a
bad row writes nothing unless the user chooses to import the good rows. Writes are set-based (one query per batch,
never one per row); people are matched by the blind index of their ID number, so importing
the same file again changes nothing. The upload is kept encrypted until it is used.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import itertools
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Model

from chizheng.accounts.access import access_by_id, can, require, visible
from chizheng.accounts.models import ScopeKind, User
from chizheng.core import audit, crypto, ids, inputs, spreadsheet
from chizheng.core.errors import DomainError, PermissionDenied, ValidationError
from chizheng.org.models import County, Department

from . import workflow as registry_workflow
from .import_flow import IMPORT_FLOW
from .models import (
    ImportJob,
    Institution,
    KeyGroup,
    Person,
    Roster,
    RosterEntry,
    SkillLevel,
    Teacher,
    TeacherCertificate,
)
from .selectors import id_index, import_job_for, occupation_codes

if TYPE_CHECKING:
    from chizheng.jobs.models import Job
    from chizheng.jobs.progress import Progress

# Told how many rows are done so far (a job's progress).
OnRows = Callable[[int], None]

BATCH = 2000
EXCEL_EPOCH = dt.date(1899, 12, 30)
ANALYZE_AFTER = 10_000
MAX_ROWS = 200_000
# An upload is kept (encrypted, base64) until its job has checked it: 200,000 full rows of the
# template are about 40 MB as .xlsx.
MAX_UPLOAD_BYTES = 100 * 1024 * 1024
REPORT_EVERY = 1000  # rows between two progress reports


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Chinese, as in the template
    required: bool = False
    example: str = ""
    note: str = ""


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


@dataclass(frozen=True)
class Formula:
    """A cell of an .xlsx file that holds a formula: refused, whatever it would compute (its
    value may differ in another program, and written back it would run in every export)."""

    text: str


FORMULA_REASON = "该单元格是公式，请改为直接填写内容（可复制后“选择性粘贴—数值”）"


class ImportHasErrors(DomainError):
    code = "import_has_errors"
    http_status = 422


# --- reading -----------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def read_rows(content: bytes, filename: str) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """Headers, and (row number as the user sees it, cells) for every non-empty data row."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            rows: Iterator[Sequence[Any]] = xlsx_rows(content)
            first = next(rows, None)
        except (zipfile.BadZipFile, KeyError, ET.ParseError) as e:
            raise ValidationError(
                "无法读取该Excel文件，请使用下载的模板（.xlsx）",
                message_en="unreadable .xlsx file",
                code="import_unreadable",
            ) from e
        rows = itertools.chain([first] if first is not None else [], rows)
    elif name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError(
                "CSV文件编码无法识别，请使用UTF-8或GBK编码",
                message_en="unknown CSV encoding",
                code="import_unreadable",
            )
        rows = iter(csv.reader(io.StringIO(text)))
    else:
        raise ValidationError(
            "只支持 .xlsx 或 .csv 文件", message_en="only .xlsx or .csv", code="import_unreadable"
        )
    header = next(rows, None)
    if header is None:
        raise ValidationError("文件为空", message_en="empty file", code="import_unreadable")
    headers = [_header(h) for h in header]

    def data() -> Iterator[tuple[int, list[Any]]]:
        try:
            for n, raw in enumerate(rows, start=2):
                cells = [_cell(v) for v in raw]
                if any(c != "" for c in cells):
                    yield n, cells
        except ET.ParseError as e:
            raise ValidationError(
                "Excel文件已损坏，无法读取",
                message_en="damaged .xlsx file",
                code="import_unreadable",
            ) from e

    return headers, data()


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


MAX_PART_BYTES = 512 * 1024 * 1024


def _part(z: zipfile.ZipFile, name: str) -> bytes:
    """One XML part of the workbook, refused if it declares a DTD or entities (the XML attacks
    defusedxml guards against need one; spreadsheet parts never have one) or is a zip bomb."""
    if z.getinfo(name).file_size > MAX_PART_BYTES:
        raise ET.ParseError(f"{name} is too large")
    data = z.read(name)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ET.ParseError(f"{name} declares a DTD")
    return data


def _first_sheet_path(z: zipfile.ZipFile) -> str:
    workbook = ET.fromstring(_part(z, "xl/workbook.xml"))  # noqa: S314 - DTDs refused by _part
    sheet = workbook.find(f"{_NS}sheets/{_NS}sheet")
    if sheet is None:
        raise KeyError("no sheet")
    rels = ET.fromstring(_part(z, "xl/_rels/workbook.xml.rels"))  # noqa: S314 - see _part
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        if rel.get("Id") == sheet.get(_REL):
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise KeyError("sheet target")


def _column(ref: str) -> int:
    n = 0
    for ch in ref:
        if ch.isalpha():
            n = n * 26 + (ord(ch.upper()) - 64)
        else:
            break
    return n - 1


def xlsx_rows(content: bytes) -> Iterator[list[Any]]:
    """The first sheet's rows, streamed with the C XML parser (openpyxl's reader is several
    times slower on 100,000-row files). Empty rows between rows come back as empty lists so
    row numbers stay those the user sees; numbers come back as int/float."""
    z = zipfile.ZipFile(io.BytesIO(content))
    shared: list[str] = []
    if "xl/sharedStrings.xml" in z.namelist():
        for _, el in ET.iterparse(io.BytesIO(_part(z, "xl/sharedStrings.xml"))):  # noqa: S314
            if el.tag == f"{_NS}si":
                shared.append("".join(t.text or "" for t in el.iter(f"{_NS}t")))
                el.clear()
    expected = 1
    for _, el in ET.iterparse(io.BytesIO(_part(z, _first_sheet_path(z)))):  # noqa: S314
        if el.tag != f"{_NS}row":
            continue
        number = int(el.get("r") or expected)
        while expected < number:
            yield []
            expected += 1
        cells: list[Any] = []
        for c in el.iter(f"{_NS}c"):
            ref = c.get("r")
            if ref:
                col = _column(ref)
                cells.extend([None] * (col - len(cells)))
            kind = c.get("t", "n")
            v = c.find(f"{_NS}v")
            f = c.find(f"{_NS}f")
            value: Any
            if f is not None:
                value = Formula(f.text or "")
            elif kind == "s":
                value = shared[int(v.text)] if v is not None and v.text else ""
            elif kind == "inlineStr":
                value = "".join(t.text or "" for t in c.iter(f"{_NS}t"))
            elif v is None or v.text is None:
                value = None
            elif kind in ("str", "e"):
                value = v.text
            elif kind == "b":
                value = v.text == "1"
            else:
                text = v.text
                value = float(text) if any(ch in text for ch in ".eE") else int(text)
            cells.append(value)
        el.clear()
        expected = number + 1
        yield cells


def _header(value: Any) -> str:
    text = str(value or "").strip()
    return re.sub(r"[\s*＊]|（必填）|\(必填\)", "", text)


# --- field parsers: each returns the value or raises _Bad(reason) ----------------------------


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


# --- the kinds -------------------------------------------------------------------------------


@dataclass
class Context:
    """What every row is checked against, loaded once per file (set-based)."""

    actor: User
    occupations: dict[str, int]
    counties: dict[str, County]
    departments: dict[str, Department]
    institutions: dict[str, tuple[int, str, int]]  # credit code → (id, kind, county id)
    visible_institutions: set[int]
    institution: Institution | None = None
    # credit code → (filing status, filed on, filing number); whether the actor may file
    filings: dict[str, tuple[str, dt.date | None, str]] = field(default_factory=dict)
    may_file: bool = False

    def occupation(self, v: Any) -> int | None:
        if v == "":
            return None
        code = str(v).strip()
        if code not in self.occupations:
            raise _Bad(f"职业编码“{code}”不在2022年版职业分类大典的职业（细类）中")
        return self.occupations[code]

    def county(self, v: Any) -> County:
        if v == "":
            if self.actor.scope_kind == ScopeKind.COUNTY and self.actor.county_id:
                return self.counties[str(self.actor.county_id)]
            if self.institution is not None:
                return self.counties[str(self.institution.county_id)]
            raise _Bad("必填")
        s = str(v).strip()
        county = self.counties.get(s)
        if county is None:
            raise _Bad(f"县（市、区）“{s}”不存在，请填写区划代码或名称，如 410402 或 新华区")
        if self.actor.scope_kind == ScopeKind.COUNTY and county.pk != self.actor.county_id:
            raise _Bad(f"“{county.name}”不属于本县（市、区），无权导入")
        return county


def _context(actor: User, institution: Institution | None = None) -> Context:
    counties: dict[str, County] = {}
    for c in County.objects.all():
        for key in (c.code, c.name, c.short_name, str(c.pk)):
            counties[key] = c
    departments: dict[str, Department] = {}
    for d in Department.objects.all():
        departments[d.code] = departments[d.name] = d
    institutions = {
        code: (pk, kind, county_id)
        for code, pk, kind, county_id in Institution.objects.values_list(
            "credit_code", "id", "kind", "county_id"
        )
    }
    visible_ids = set(visible(actor, Institution.objects.all()).values_list("id", flat=True))
    filings = {
        code: (status, on, number)
        for code, status, on, number in Institution.objects.exclude(
            filing_status="", filed_on=None, filing_number=""
        ).values_list("credit_code", "filing_status", "filed_on", "filing_number")
    }
    return Context(
        actor,
        occupation_codes(),
        counties,
        departments,
        institutions,
        visible_ids,
        institution,
        filings,
        may_file=actor.role in registry_workflow.TRANSITIONS["file"].roles,
    )


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    columns: tuple[Column, ...]
    check: Callable[[dict[str, Any], Context, Callable[[str, str], None]], dict[str, Any] | None]
    key: Callable[[dict[str, Any]], Any]  # the identity used to find duplicates in the file
    key_column: str

    def header(self, key: str) -> str:
        return next(c.header for c in self.columns if c.key == key)


PERSON_COLUMNS = (
    Column("name", "姓名", True, "张伟"),
    Column(
        "id_number",
        "身份证号码",
        True,
        "410402199001010019",
        "18位，末位X大小写均可；Excel中请设为文本格式",
    ),
    Column("phone", "手机号码", False, "13900000000"),
    Column(
        "county",
        "所属县（市、区）",
        True,
        "新华区",
        "区划代码或名称；县（市、区）用户可不填，默认为本县",
    ),
    Column(
        "key_group",
        "重点群体",
        False,
        "农民工",
        "、".join(str(label) for _, label in KeyGroup.choices),
    ),
    Column("employer", "工作单位统一社会信用代码", False, "", "须为已登记的机构"),
    Column("post_occupation", "岗位职业编码", False, "6-18-02-05", "2022年版职业分类大典编码"),
    Column("former_occupation", "原岗位职业编码（转岗）", False, ""),
    Column("transferred_on", "转岗日期", False, "", "如 2022-03-01"),
    Column("school", "在读学校统一社会信用代码", False, ""),
    Column("major_occupation", "在读专业对应职业编码", False, ""),
    Column("graduation_year", "毕业年份", False, ""),
)


def _taker(
    r: dict[str, Any], out: dict[str, Any], bad: Callable[[str, str], None]
) -> Callable[[str, Callable[[Any], Any]], None]:
    """``take(key, parse)``: parse one cell into ``out``, or report why it is bad."""

    def take(key: str, parse: Callable[[Any], Any]) -> None:
        try:
            out[key] = parse(r.get(key, ""))
        except _Bad as e:
            bad(key, str(e))

    return take


def _check_person(
    r: dict[str, Any], ctx: Context, bad: Callable[[str, str], None]
) -> dict[str, Any] | None:
    out: dict[str, Any] = {}

    take = _taker(r, out, bad)

    take("name", lambda v: _text(v, max_len=50) or _raise("必填"))
    take("id_number", _id_number)
    take("phone", _phone)
    take("county", ctx.county)
    take("key_group", KEY_GROUPS)
    take("employer", lambda v: _institution_ref(v, ctx, schools_only=False))
    take("post_occupation", ctx.occupation)
    take("former_occupation", ctx.occupation)
    take("transferred_on", _date)
    take("school", lambda v: _institution_ref(v, ctx, schools_only=True))
    take("major_occupation", ctx.occupation)
    take("graduation_year", lambda v: _int(v, low=1950, high=2100, what="毕业年份"))
    if (
        out.get("transferred_on")
        and not out.get("former_occupation")
        and "former_occupation" in out
    ):
        bad("transferred_on", "填写了转岗日期，但未填写原岗位职业编码")
    if (
        (out.get("major_occupation") or out.get("graduation_year"))
        and not out.get("school")
        and "school" in out
    ):
        bad("school", "填写了在读专业或毕业年份，但未填写在读学校")
    if len(out) != len(PERSON_COLUMNS):
        return None
    out["id_index"] = id_index(out["id_number"])
    return out


def _raise(reason: str) -> Any:
    raise _Bad(reason)


def _institution_ref(v: Any, ctx: Context, *, schools_only: bool) -> int | None:
    code = _credit_code(v)
    if not code:
        return None
    found = ctx.institutions.get(code)
    if found is None:
        raise _Bad(f"统一社会信用代码为{code}的机构未登记")
    pk, kind, _county = found
    if schools_only and kind not in (
        Institution.Kind.TECHNICAL_SCHOOL,
        Institution.Kind.VOCATIONAL_SCHOOL,
        Institution.Kind.UNIVERSITY,
    ):
        raise _Bad(f"统一社会信用代码为{code}的机构不是院校")
    return pk


INSTITUTION_COLUMNS = (
    Column("name", "机构名称", True, "平顶山市某职业培训学校"),
    Column("credit_code", "统一社会信用代码", True, "91410400MA00000000"),
    Column(
        "kind",
        "机构类型",
        True,
        "民办职业培训学校",
        "、".join(str(label) for _, label in Institution.Kind.choices),
    ),
    Column("county", "所属县（市、区）", True, "新华区"),
    Column("department", "行业主管部门", False, "", "部门名称或代码"),
    Column(
        "evaluator_kind",
        "评价机构类别",
        False,
        "",
        "、".join(str(label) for _, label in Institution.EvaluatorKind.choices),
    ),
    Column("filed_on", "备案日期", False, ""),
    Column("filing_number", "备案编号", False, ""),
    Column("address", "地址", False, ""),
    Column("contact_name", "联系人", False, ""),
    Column("contact_phone", "联系电话", False, ""),
)


def _check_institution(
    r: dict[str, Any], ctx: Context, bad: Callable[[str, str], None]
) -> dict[str, Any] | None:
    out: dict[str, Any] = {}

    take = _taker(r, out, bad)

    def department(v: Any) -> Department | None:
        if v == "":
            return None
        d = ctx.departments.get(str(v).strip())
        if d is None:
            raise _Bad(f"部门“{v}”不存在")
        return d

    def credit(v: Any) -> str:
        code = _credit_code(v)
        if not code:
            raise _Bad("必填")
        known = ctx.institutions.get(code)
        if known and known[0] not in ctx.visible_institutions:
            raise _Bad("该机构已由其他县（市、区）登记，无权修改")
        return code

    take("name", lambda v: _text(v, max_len=100) or _raise("必填"))
    take("credit_code", credit)
    take("kind", lambda v: INSTITUTION_KINDS(v) or _raise("必填"))
    take("county", ctx.county)
    take("department", department)
    take("evaluator_kind", EVALUATOR_KINDS)
    take("filed_on", _date)
    take("filing_number", lambda v: _text(v, max_len=50))
    take("address", lambda v: _text(v, max_len=200))
    take("contact_name", lambda v: _text(v, max_len=50))
    take(
        "contact_phone",
        lambda v: _text(str(int(v)) if isinstance(v, (int, float)) else v, max_len=30),
    )
    if out.get("filed_on") and not out.get("evaluator_kind") and "evaluator_kind" in out:
        bad("evaluator_kind", "填写了备案日期，但未填写评价机构类别")
    if len(out) != len(INSTITUTION_COLUMNS):
        return None
    _check_filing(out, ctx, bad)
    return out


def _check_filing(out: dict[str, Any], ctx: Context, bad: Callable[[str, str], None]) -> None:
    """Filing is the city office's decision: a row may carry filing data only if the importer
    may decide it, or if it repeats what is on record (a re-imported export changes nothing)."""
    filed_on, number = out["filed_on"], out["filing_number"]
    if not (filed_on or number):
        return
    status, on_record, number_on_record = ctx.filings.get(
        out["credit_code"], (Institution.FilingStatus.NONE, None, "")
    )
    filed = status == Institution.FilingStatus.FILED
    changes = (
        not filed or (filed_on and filed_on != on_record) or (number and number != number_on_record)
    )
    if changes and not ctx.may_file:
        bad(
            "filed_on",
            "评价机构备案由市人社局（领导小组办公室）决定：导入不能办理或修改备案，"
            "请清空“备案日期”“备案编号”（已备案且未改动的可保留）",
        )
    elif not filed and not filed_on:
        bad("filed_on", "填写了备案编号，但未填写备案日期")


TEACHER_COLUMNS = (
    Column("institution", "机构统一社会信用代码", True, "91410400MA00000000"),
    Column("name", "姓名", True, "李华"),
    Column("id_number", "身份证号码", True, "410402198501010010", "Excel中请设为文本格式"),
    Column("full_time", "是否专职", True, "是", "是/否"),
    Column("occupations", "任教职业编码", False, "6-18-02-05", "多个用顿号、分号或逗号分隔"),
    Column(
        "certificate_kind",
        "资格证书类型",
        False,
        "职业技能等级证书",
        "、".join(str(label) for _, label in TeacherCertificate.Kind.choices),
    ),
    Column("certificate_number", "证书编号", False, ""),
    Column("certificate_occupation", "证书职业编码", False, ""),
    Column("certificate_level", "证书等级", False, "", "1至5（1为高级技师，5为初级工）"),
)


def _check_teacher(
    r: dict[str, Any], ctx: Context, bad: Callable[[str, str], None]
) -> dict[str, Any] | None:
    out: dict[str, Any] = {}

    take = _taker(r, out, bad)

    def institution(v: Any) -> int:
        code = _credit_code(v)
        if not code:
            raise _Bad("必填")
        found = ctx.institutions.get(code)
        if found is None or found[0] not in ctx.visible_institutions:
            raise _Bad(f"统一社会信用代码为{code}的机构未登记或无权操作")
        if ctx.actor.scope_kind == ScopeKind.COUNTY and found[2] != ctx.actor.county_id:
            raise _Bad("只能导入本县（市、区）机构的师资")
        return found[0]

    def occupations(v: Any) -> list[int]:
        codes = [c for c in re.split(r"[、，,;；\s]+", str(v)) if c]
        return [o for o in (ctx.occupation(c) for c in codes) if o is not None]

    take("institution", institution)
    take("name", lambda v: _text(v, max_len=50) or _raise("必填"))
    take("id_number", _id_number)
    take("full_time", _yes_no)
    take("occupations", occupations)
    take("certificate_kind", CERTIFICATE_KINDS)
    take(
        "certificate_number",
        lambda v: _text(v if not isinstance(v, (int, float)) else str(v), max_len=60),
    )
    take("certificate_occupation", ctx.occupation)
    take(
        "certificate_level",
        lambda v: _int(v, low=SkillLevel.LEVEL_1, high=SkillLevel.LEVEL_5, what="证书等级"),
    )
    if bool(out.get("certificate_kind")) != bool(out.get("certificate_number")) and (
        "certificate_kind" in out and "certificate_number" in out
    ):
        bad("certificate_number", "资格证书类型与证书编号须同时填写")
    if len(out) != len(TEACHER_COLUMNS):
        return None
    out["id_index"] = id_index(out["id_number"])
    return out


ROSTER_COLUMNS = (
    Column("name", "姓名", True, "张伟"),
    Column("id_number", "身份证号码", True, "410402199001010019", "Excel中请设为文本格式"),
    Column("phone", "手机号码", False, "13900000000"),
    Column("county", "所属县（市、区）", False, "", "不填则为本机构所在县（市、区）"),
    Column("key_group", "重点群体", False, ""),
    Column("employer", "工作单位统一社会信用代码", False, ""),
    Column("post_occupation", "岗位职业编码", False, ""),
    Column("former_occupation", "原岗位职业编码（转岗）", False, ""),
    Column("transferred_on", "转岗日期", False, ""),
    Column("school", "在读学校统一社会信用代码", False, ""),
    Column("major_occupation", "在读专业对应职业编码", False, ""),
    Column("graduation_year", "毕业年份", False, ""),
)


def _check_roster(
    r: dict[str, Any], ctx: Context, bad: Callable[[str, str], None]
) -> dict[str, Any] | None:
    return _check_person(r, ctx, bad)


KINDS: dict[str, Kind] = {
    ImportJob.Kind.PEOPLE: Kind(
        "people", "人员", PERSON_COLUMNS, _check_person, lambda r: r["id_index"], "id_number"
    ),
    ImportJob.Kind.INSTITUTIONS: Kind(
        "institutions",
        "机构",
        INSTITUTION_COLUMNS,
        _check_institution,
        lambda r: r["credit_code"],
        "credit_code",
    ),
    ImportJob.Kind.TEACHERS: Kind(
        "teachers",
        "师资",
        TEACHER_COLUMNS,
        _check_teacher,
        lambda r: (r["institution"], r["id_index"]),
        "id_number",
    ),
    ImportJob.Kind.ROSTER: Kind(
        "roster", "花名册", ROSTER_COLUMNS, _check_roster, lambda r: r["id_index"], "id_number"
    ),
}


def kind_of(name: str) -> Kind:
    inputs.check_choice(name, ImportJob.Kind, field="kind", label="导入类型")
    return KINDS[name]


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


# --- writing (set-based) -----------------------------------------------------------------


def _chunks(items: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


PERSON_OPTIONAL = (
    "key_group",
    "employer_id",
    "post_occupation_id",
    "former_occupation_id",
    "transferred_on",
    "school_id",
    "major_occupation_id",
    "graduation_year",
)
_PERSON_SOURCE = {
    "key_group": "key_group",
    "employer_id": "employer",
    "post_occupation_id": "post_occupation",
    "former_occupation_id": "former_occupation",
    "transferred_on": "transferred_on",
    "school_id": "school",
    "major_occupation_id": "major_occupation",
    "graduation_year": "graduation_year",
}


def _insert(model: type[Model], columns: Sequence[str], values: list[tuple[Any, ...]]) -> None:
    """Multi-row INSERT, one statement per batch, with values already prepared for the database
    (encrypted, adapted): Django's bulk_create spends most of a 100,000-row import building
    model instances and compiling each value."""
    if not values:
        return
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    column_of = {f.name: str(f.column) for f in model._meta.concrete_fields}
    names = ", ".join(ops.quote_name(column_of[c]) for c in columns)
    if connection.vendor == "postgresql":
        # COPY: PostgreSQL's bulk path, several times faster than multi-row INSERTs.
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in values:
                copy.write_row(row)
        if len(values) > ANALYZE_AFTER:
            # Fresh statistics, or the planner treats the grown table as empty.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {table}")
        return
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per = max(1, min(BATCH, 30_000 // len(columns)))  # under SQLite's 32,766 parameters
    with connection.cursor() as cursor:
        for chunk in _chunks(values, per):
            sql = f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(chunk))}"  # noqa: S608 - names from the model, values bound
            cursor.execute(sql, [v for row in chunk for v in row])


_PERSON_INSERT = (
    "name",
    "id_number",
    "id_index",
    "id_masked",
    "phone",
    "phone_index",
    "phone_masked",
    "birth_date",
    "county",
    "key_group",
    "employer",
    "post_occupation",
    "former_occupation",
    "transferred_on",
    "school",
    "major_occupation",
    "graduation_year",
)


def _reporter(on_rows: OnRows | None) -> Callable[[int], None]:
    """``tick(i)``: report every REPORT_EVERY rows (rows are prepared for writing in Python
    row by row, which is most of the time an import takes)."""

    def tick(i: int) -> None:
        if on_rows is not None and i % REPORT_EVERY == 0:
            on_rows(i)

    return tick


def apply_people(
    *,
    actor: User,
    rows: list[dict[str, Any]],
    update_existing: bool,
    on_rows: OnRows | None = None,
) -> dict[str, Any]:
    """Create the people not yet registered; update changed facts of those the actor may edit.
    A blank optional cell leaves the stored value as it is. Returns counts and id_index → id."""
    compare = ("id", "id_index", "name", "phone_index", "county_id", *PERSON_OPTIONAL)
    existing: dict[str, tuple[Any, ...]] = {}
    for chunk in _chunks([r["id_index"] for r in rows]):
        for values in Person.objects.filter(id_index__in=chunk).values_list(*compare):
            existing[values[1]] = values
    # A person is visible exactly when his county is (Person.access_scope is its county's):
    # one small query instead of a join per batch.
    editable_counties: set[int] = set()
    if update_existing and existing:
        editable_counties = set(visible(actor, County.objects.all()).values_list("id", flat=True))

    encrypt = Person._meta.get_field("id_number").get_db_prep_save
    adapt_date = connection.ops.adapt_datefield_value
    new: list[tuple[Any, ...]] = []
    new_indexes: list[str] = []
    changed: list[Person] = []
    fields_changed: set[str] = set()
    phones: list[Person] = []
    out_of_scope = 0
    tick = _reporter(on_rows)
    for row_number, r in enumerate(rows, start=1):
        tick(row_number)
        phone = r["phone"]
        phone_index = crypto.blind_index(phone) if phone else ""
        found = existing.get(r["id_index"])
        if found is None:
            number = r["id_number"]
            new.append(
                (
                    r["name"],
                    encrypt(number, connection),
                    r["id_index"],
                    ids.mask(number),
                    encrypt(phone, connection) if phone else "",
                    phone_index,
                    ids.mask_phone(phone) if phone else "",
                    adapt_date(ids.birth_date(number)),
                    r["county"].pk,
                    r["key_group"],
                    r["employer"],
                    r["post_occupation"],
                    r["former_occupation"],
                    adapt_date(r["transferred_on"]),
                    r["school"],
                    r["major_occupation"],
                    r["graduation_year"],
                )
            )
            new_indexes.append(r["id_index"])
            continue
        if not update_existing:
            continue
        pk = found[0]
        if found[4] not in editable_counties:
            out_of_scope += 1
            continue
        current = dict(zip(compare, found, strict=True))
        wanted = dict(current, name=r["name"], county_id=r["county"].pk)
        for attr in PERSON_OPTIONAL:
            value = r[_PERSON_SOURCE[attr]]
            if value not in ("", None):
                wanted[attr] = value
        touched = {k.removesuffix("_id") for k in wanted if wanted[k] != current[k]}
        if touched:
            changed.append(Person(**{k: v for k, v in wanted.items() if k != "phone_index"}))
            fields_changed |= touched
        if phone and found[3] != phone_index:
            phones.append(
                Person(
                    id=pk, phone=phone, phone_index=phone_index, phone_masked=ids.mask_phone(phone)
                )
            )
    _insert(Person, _PERSON_INSERT, new)
    if changed:
        # Only the changed rows, and only the fields that changed in any of them.
        Person.objects.bulk_update(changed, sorted(fields_changed), batch_size=500)
    if phones:
        Person.objects.bulk_update(phones, ["phone", "phone_index", "phone_masked"], batch_size=500)
    ids_by_index = {index: values[0] for index, values in existing.items()}
    for chunk in _chunks(new_indexes):
        ids_by_index.update(Person.objects.filter(id_index__in=chunk).values_list("id_index", "id"))
    updated = len({p.pk for p in changed} | {p.pk for p in phones})
    return {
        "created": len(new),
        "updated": updated,
        "unchanged": len(rows) - len(new) - updated - out_of_scope,
        "not_updated_out_of_scope": out_of_scope,
        "_ids": ids_by_index,
    }


def apply_institutions(
    *, actor: User, rows: list[dict[str, Any]], on_rows: OnRows | None = None
) -> dict[str, Any]:
    existing = {
        i.credit_code: i
        for chunk in _chunks([r["credit_code"] for r in rows])
        for i in Institution.objects.filter(credit_code__in=chunk)
    }
    simple = ("name", "kind", "evaluator_kind", "address", "contact_name", "contact_phone")
    new: list[Institution] = []
    changed: list[Institution] = []
    tick = _reporter(on_rows)
    for row_number, r in enumerate(rows, start=1):
        tick(row_number)
        values = {k: r[k] for k in simple}
        values["county_id"] = r["county"].pk
        values["department_id"] = r["department"].pk if r["department"] else None
        i = existing.get(r["credit_code"])
        if i is None:
            new.append(Institution(credit_code=r["credit_code"], **values))
            continue
        diff = {k: v for k, v in values.items() if v not in ("", None) and getattr(i, k) != v}
        if diff:
            for k, v in diff.items():
                setattr(i, k, v)
            changed.append(i)
    Institution.objects.bulk_create(new, batch_size=BATCH)
    fields = [*simple, "county", "department"]
    Institution.objects.bulk_update(changed, fields, batch_size=500)
    filed, corrected = _apply_filings(actor, rows)
    return {
        "created": len(new),
        "updated": len({i.pk for i in changed} | corrected),
        "unchanged": len(rows) - len(new) - len({i.pk for i in changed} | corrected),
        "filed": filed,
    }


def _apply_filings(actor: User, rows: list[dict[str, Any]]) -> tuple[int, set[int]]:
    """The filings a city office's file asks for, each the declared decision (a transition
    row and an audit event: one per filing, and filings are few); corrections of the date or
    number of a filing on record are written as data. ``_check_filing`` let only the city
    office's rows through with a change."""
    from . import services  # services import the selectors these imports share

    wanted = [r for r in rows if r["filed_on"] or r["filing_number"]]
    found = {
        i.credit_code: i
        for chunk in _chunks([r["credit_code"] for r in wanted])
        for i in Institution.objects.filter(credit_code__in=chunk)
    }
    filed, corrected = 0, set()
    for r in wanted:
        inst = found[r["credit_code"]]
        if inst.filing_status != Institution.FilingStatus.FILED:
            services.institution_file(
                actor=actor,
                institution_id=inst.pk,
                filed_on=r["filed_on"],
                filing_number=r["filing_number"],
                reason=f"导入第{r['_row']}行",
            )
            filed += 1
            continue
        on = r["filed_on"] or inst.filed_on
        number = r["filing_number"] or inst.filing_number
        if (on, number) != (inst.filed_on, inst.filing_number):
            inst.filed_on, inst.filing_number = on, number
            inst.save(update_fields=["filed_on", "filing_number"])
            corrected.add(inst.pk)
    return filed, corrected


def apply_teachers(
    *, actor: User, rows: list[dict[str, Any]], on_rows: OnRows | None = None
) -> dict[str, Any]:
    inst_ids = sorted({r["institution"] for r in rows})
    existing: dict[tuple[int, str], Teacher] = {}
    for chunk in _chunks(inst_ids):
        for t in Teacher.objects.filter(institution_id__in=chunk).defer("id_number"):
            existing[(t.institution_id, t.id_index)] = t
    new: list[Teacher] = []
    changed: list[Teacher] = []
    tick = _reporter(on_rows)
    for row_number, r in enumerate(rows, start=1):
        tick(row_number)
        t_found = existing.get((r["institution"], r["id_index"]))
        if t_found is None:
            new.append(
                Teacher(
                    institution_id=r["institution"],
                    name=r["name"],
                    id_number=r["id_number"],
                    id_index=r["id_index"],
                    id_masked=ids.mask(r["id_number"]),
                    full_time=r["full_time"],
                )
            )
        elif (t_found.name, t_found.full_time) != (r["name"], r["full_time"]):
            t_found.name, t_found.full_time = r["name"], r["full_time"]
            changed.append(t_found)
    Teacher.objects.bulk_create(new, batch_size=BATCH)
    Teacher.objects.bulk_update(changed, ["name", "full_time"], batch_size=500)
    teacher_ids = {
        (i, x): pk
        for chunk in _chunks(inst_ids)
        for i, x, pk in Teacher.objects.filter(institution_id__in=chunk).values_list(
            "institution_id", "id_index", "id"
        )
    }
    through = Teacher.occupations.through
    have = set(
        through.objects.filter(teacher_id__in=teacher_ids.values()).values_list(
            "teacher_id", "occupation_id"
        )
    )
    wanted = {
        (teacher_ids[(r["institution"], r["id_index"])], o) for r in rows for o in r["occupations"]
    }
    links = [through(teacher_id=t, occupation_id=o) for t, o in sorted(wanted - have)]
    through.objects.bulk_create(links, batch_size=BATCH)
    have_certs = set(
        TeacherCertificate.objects.filter(teacher_id__in=teacher_ids.values()).values_list(
            "teacher_id", "kind", "number"
        )
    )
    certs: dict[tuple[int, str, str], TeacherCertificate] = {}
    for r in rows:
        if not r["certificate_kind"]:
            continue
        key = (
            teacher_ids[(r["institution"], r["id_index"])],
            r["certificate_kind"],
            r["certificate_number"],
        )
        if key not in have_certs:
            certs[key] = TeacherCertificate(
                teacher_id=key[0],
                kind=key[1],
                number=key[2],
                occupation_id=r["certificate_occupation"],
                level=r["certificate_level"],
            )
    TeacherCertificate.objects.bulk_create(list(certs.values()), batch_size=BATCH)
    return {
        "created": len(new),
        "updated": len(changed),
        "unchanged": len(rows) - len(new) - len(changed),
        "occupations_added": len(links),
        "certificates_added": len(certs),
    }


def apply_roster(
    *,
    actor: User,
    rows: list[dict[str, Any]],
    institution: Institution,
    title: str,
    on_rows: OnRows | None = None,
) -> dict[str, Any]:
    people = apply_people(
        actor=actor, rows=rows, update_existing=can(actor, "registry.edit"), on_rows=on_rows
    )
    roster, roster_created = Roster.objects.get_or_create(institution=institution, title=title)
    have = set(RosterEntry.objects.filter(roster=roster).values_list("person_id", flat=True))
    entries = [
        RosterEntry(roster=roster, person_id=people["_ids"][r["id_index"]], row=r["_row"])
        for r in rows
        if people["_ids"][r["id_index"]] not in have
    ]
    RosterEntry.objects.bulk_create(entries, batch_size=BATCH)
    return {
        "roster": roster.pk,
        "roster_created": roster_created,
        "entries_added": len(entries),
        "people_created": people["created"],
        "people_updated": people["updated"],
    }


# --- the services ------------------------------------------------------------------------


def _permit(actor: User, kind: str, institution: Institution | None) -> None:
    if kind == ImportJob.Kind.ROSTER:
        if institution is None:
            raise ValidationError(
                "请选择花名册所属机构",
                message_en="choose the institution",
                detail={"field": "institution"},
            )
        if not (can(actor, "class.apply") or can(actor, "registry.edit")):
            raise PermissionDenied("您的角色无权导入花名册", message_en="may not import rosters")
        return
    require(actor, "registry.edit")


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


def _start(*, actor: User | None, kind: str, import_job: ImportJob, attempt: int = 0) -> Job:
    from chizheng.jobs.services import job_start

    return job_start(
        actor=actor,
        kind=kind,
        params={"import_job": import_job.pk},
        idempotency_key=f"{kind}:{import_job.pk}:{attempt}",
        total=import_job.total_rows if kind == COMMIT_JOB else None,
    )


VALIDATE_JOB = "registry.import.validate"
COMMIT_JOB = "registry.import.commit"


@transaction.atomic
def import_upload(
    *,
    actor: User,
    kind: str,
    filename: str,
    content: bytes,
    institution_id: int | None = None,
    roster_title: str = "",
) -> ImportJob:
    """Keep an uploaded file (encrypted) and queue the job that checks every row of it.
    What can be told at once (kind, permission, file type and size, the names) is refused
    here."""
    kind_of(kind)
    inputs.check_text(filename, field="file", label="文件名")
    inputs.check_text(roster_title, field="roster_title", label="花名册名称", max_length=100)
    institution = (
        access_by_id(actor, Institution.objects.all(), institution_id) if institution_id else None
    )
    _permit(actor, kind, institution)
    if not filename.lower().endswith((".xlsx", ".csv")):
        raise ValidationError(
            "只支持 .xlsx 或 .csv 文件", message_en="only .xlsx or .csv", code="import_unreadable"
        )
    if not content:
        raise ValidationError("文件为空", message_en="empty file", code="import_unreadable")
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"文件不能超过{MAX_UPLOAD_BYTES // (1024 * 1024)}MB，请分批导入",
            message_en="file too large",
            code="import_too_large",
        )
    if kind == ImportJob.Kind.ROSTER and not roster_title.strip():
        roster_title = f"花名册 {filename}"
    job = ImportJob.objects.create(
        kind=kind,
        filename=filename[:200],
        content=base64.b64encode(content).decode("ascii"),
        institution=institution,
        roster_title=roster_title.strip()[:100],
        created_by=actor,
    )
    job.validation_job = _start(actor=actor, kind=VALIDATE_JOB, import_job=job)
    job.save(update_fields=["validation_job"])
    audit.record(actor=actor, action=f"import.{kind}.upload", obj=job, after={"filename": filename})
    return job


def run_validation(*, import_job_id: int, progress: Progress) -> ImportJob:
    """The checking job: read the file, check every row, keep the clean rows (encrypted).
    Writes no registry data. Run again on an import already checked, it does nothing."""
    job = ImportJob.objects.select_related("created_by", "institution").get(pk=import_job_id)
    if job.status != ImportJob.Status.VALIDATING:
        return job
    spec = kind_of(job.kind)
    content = base64.b64decode(job.content)
    ctx = _context(job.created_by, job.institution)
    try:
        progress.set_total(count_rows(content, job.filename))
        checked = check_file(
            kind=spec, content=content, filename=job.filename, ctx=ctx, on_rows=progress.set_done
        )
    except DomainError as e:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=import_job_id)
            if job.status == ImportJob.Status.VALIDATING:
                job.errors = [{"row": 0, "column": "", "reason": e.message}]
                job.content = ""
                job.save(update_fields=["errors", "content"])
                IMPORT_FLOW.fire(job, "unreadable", actor=None, reason=e.message)
        raise
    progress.set_done(checked.total)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=import_job_id)
        if job.status != ImportJob.Status.VALIDATING:
            return job
        job.content = _pack(checked.good)
        job.total_rows = checked.total
        job.bad_rows = checked.bad_rows
        job.errors = [e.as_dict() for e in checked.errors]
        job.save(update_fields=["content", "total_rows", "bad_rows", "errors"])
        IMPORT_FLOW.fire(job, "checked", actor=None)
        audit.record(
            actor=job.created_by,
            action=f"import.{job.kind}.validate",
            obj=job,
            after={"filename": job.filename, "rows": checked.total, "bad_rows": checked.bad_rows},
        )
    return job


@transaction.atomic
def import_confirm(*, actor: User, job_id: int, good_rows_only: bool = False) -> ImportJob:
    """Queue the writing of a checked file: all of it, or — if the user chose so — its good
    rows only. A second confirmation (a double click) is refused: the file goes in once."""
    job = import_job_for(actor=actor, job_id=job_id)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportJob.Status.VALIDATED:
        raise ValidationError(
            f"该导入任务{job.get_status_display()}，不能再次导入",
            message_en="job already used",
            code="import_used",
        )
    _permit(actor, job.kind, job.institution)
    if job.bad_rows and not good_rows_only:
        raise ImportHasErrors(
            f"文件有{job.bad_rows}行错误，未导入任何数据。请修改后重新上传，或选择“仅导入无误的行”",
            message_en=f"{job.bad_rows} bad rows: nothing imported",
            detail={"bad_rows": job.bad_rows, "errors": job.errors[:1000]},
        )
    job.good_rows_only = good_rows_only
    job.save(update_fields=["good_rows_only"])
    IMPORT_FLOW.fire(job, "confirm", actor=actor, reason="仅导入无误的行" if good_rows_only else "")
    attempt = job.transitions.filter(name="confirm").count()
    job.commit_job = _start(actor=actor, kind=COMMIT_JOB, import_job=job, attempt=attempt)
    job.save(update_fields=["commit_job"])
    return job


def run_commit(*, import_job_id: int, actor: User, progress: Progress) -> ImportJob:
    """The writing job: all rows in one transaction, or none. The rows are checked again
    first (the registry may have changed since the upload). Run again — a retry after a
    crash, a second worker — it writes nothing twice: an import already written is left
    as it is, and one that crashed midway was rolled back whole."""
    job = ImportJob.objects.select_related("institution").get(pk=import_job_id)
    if job.status != ImportJob.Status.IMPORTING:
        return job
    spec = kind_of(job.kind)
    ctx = _context(actor, job.institution)
    checked = _unpack(spec, job.content, ctx)
    progress.set_total(len(checked.good))
    refused: ImportHasErrors | None = None
    with transaction.atomic():
        # (No join: PostgreSQL refuses FOR UPDATE on the nullable side of one.)
        job = ImportJob.objects.select_for_update().get(pk=import_job_id)
        if job.status != ImportJob.Status.IMPORTING:
            return job  # written by an earlier run: nothing to do
        _permit(actor, job.kind, job.institution)
        if checked.errors:
            # Rows that were good at upload but refer to what has changed since.
            job.errors = sorted(
                [*job.errors, *(e.as_dict() for e in checked.errors)], key=lambda e: e["row"]
            )
            job.bad_rows = len({e["row"] for e in job.errors})
            job.save(update_fields=["errors", "bad_rows"])
            if not job.good_rows_only:
                IMPORT_FLOW.fire(job, "sent_back", actor=None, reason="上传校验后数据发生变化")
                refused = ImportHasErrors(
                    f"上传校验后有{len(checked.errors)}处数据发生变化，未导入任何数据，请重新上传",
                    message_en="the registry changed since the upload: nothing imported",
                    detail={"bad_rows": job.bad_rows, "errors": job.errors[:1000]},
                )
        if refused is None:
            result = _apply(actor, job, checked.good, progress.set_done)
            result["skipped_bad_rows"] = job.bad_rows
            job.result = result
            job.content = ""
            job.save(update_fields=["result", "content"])
            IMPORT_FLOW.fire(job, "written", actor=None)
            audit.record(
                actor=actor,
                action=f"import.{job.kind}",
                obj=job,
                after={"filename": job.filename, "rows": job.total_rows, **result},
            )
    if refused is not None:
        raise refused
    return job


def _apply(
    actor: User, job: ImportJob, rows: list[dict[str, Any]], on_rows: OnRows
) -> dict[str, Any]:
    if job.kind == ImportJob.Kind.PEOPLE:
        out = apply_people(actor=actor, rows=rows, update_existing=True, on_rows=on_rows)
        out.pop("_ids")
        return out
    if job.kind == ImportJob.Kind.INSTITUTIONS:
        return apply_institutions(actor=actor, rows=rows, on_rows=on_rows)
    if job.kind == ImportJob.Kind.TEACHERS:
        return apply_teachers(actor=actor, rows=rows, on_rows=on_rows)
    assert job.institution is not None
    return apply_roster(
        actor=actor,
        rows=rows,
        institution=job.institution,
        title=job.roster_title,
        on_rows=on_rows,
    )


@transaction.atomic
def import_discard(*, actor: User, job_id: int) -> ImportJob:
    job = import_job_for(actor=actor, job_id=job_id)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status == ImportJob.Status.VALIDATED:
        job.content = ""
        job.save(update_fields=["content"])
        IMPORT_FLOW.fire(job, "discard", actor=actor)
    return job


def import_file(
    *,
    actor: User,
    kind: str,
    filename: str,
    content: bytes,
    good_rows_only: bool = False,
    institution_id: int | None = None,
    roster_title: str = "",
) -> ImportJob:
    """Upload, check and, if clean (or if the good rows are wanted), write — here and now,
    through the same jobs a worker would run (the CLI)."""
    from chizheng.jobs.worker import Worker

    worker = Worker()
    job = import_upload(
        actor=actor,
        kind=kind,
        filename=filename,
        content=content,
        institution_id=institution_id,
        roster_title=roster_title,
    )
    _raise_if_failed(worker.run_now(_job_of(job.validation_job_id)))
    job.refresh_from_db()
    if job.bad_rows and not good_rows_only:
        return job
    job = import_confirm(actor=actor, job_id=job.pk, good_rows_only=good_rows_only)
    _raise_if_failed(worker.run_now(_job_of(job.commit_job_id)))
    job.refresh_from_db()
    return job


def _job_of(job_id: int | None) -> Job:
    from chizheng.jobs.models import Job

    assert job_id is not None
    return Job.objects.get(pk=job_id)


def _raise_if_failed(job: Job) -> None:
    if job.state == "failed":
        raise ValidationError(job.error_message, code=job.error_code or "import_failed")


RESULT_LABELS = {
    "created": "新增",
    "updated": "更新",
    "unchanged": "未变化",
    "filed": "办理备案",
    "people_created": "新增人员",
    "people_updated": "更新人员",
    "entries_added": "花名册新增",
    "occupations_added": "新增任教职业",
    "certificates_added": "新增证书",
    "not_updated_out_of_scope": "非本辖区未更新",
    "skipped_bad_rows": "跳过有误行",
}


def describe_result(result: dict[str, Any]) -> str:
    """The counts of an import, in Chinese, for the page."""
    return "，".join(
        f"{label} {result[key]}" for key, label in RESULT_LABELS.items() if key in result
    )


# --- templates ---------------------------------------------------------------------------


def template_xlsx(kind: str) -> bytes:
    """A template with Chinese headers (required ones marked *), text-formatted ID columns,
    one example row and a sheet of instructions."""
    import openpyxl  # here, not at the top: the URL configuration imports this module
    from openpyxl.styles import Font, PatternFill

    spec = kind_of(kind)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = spec.title
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FDE7E7")
    for i, c in enumerate(spec.columns, start=1):
        cell = ws.cell(
            row=1, column=i, value=spreadsheet.cell(c.header + ("*" if c.required else ""))
        )
        cell.font = bold
        if c.required:
            cell.fill = fill
        letter = cell.column_letter
        ws.column_dimensions[letter].width = max(12, len(c.header) * 2 + 2)
        for row in range(2, 2002):
            ws.cell(row=row, column=i).number_format = "@"
    notes = wb.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "示例", "说明"])
    for c in spec.columns:
        notes.append(spreadsheet.row([c.header, "是" if c.required else "否", c.example, c.note]))
    notes.append([])
    notes.append(
        [
            "说明",
            "",
            "",
            "第1行为表头，请勿修改；从第2行起每行一条记录。身份证号码等列已设为文本格式。",
        ]
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_csv(kind: str) -> bytes:
    spec = kind_of(kind)
    buf = io.StringIO()
    csv.writer(buf).writerow(
        spreadsheet.row(c.header + ("*" if c.required else "") for c in spec.columns)
    )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def errors_xlsx(job: ImportJob) -> bytes:
    """The report of a job as a workbook the user can work through."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "错误明细"
    ws.append(["行号", "列", "原因"])
    for e in job.errors:
        ws.append(spreadsheet.row([e["row"], e["column"], e["reason"]]))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


__all__ = [
    "KINDS",
    "Checked",
    "Column",
    "ImportHasErrors",
    "RowError",
    "import_confirm",
    "import_discard",
    "import_file",
    "import_upload",
    "run_commit",
    "run_validation",
    "template_csv",
    "template_xlsx",
]
