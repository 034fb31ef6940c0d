"""The kinds of import (people, institutions, teachers, rosters): each kind's columns, as the
template shows them, and the check that turns one raw row into a clean one, reporting every
bad cell. ``KINDS`` and ``kind_of`` name them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chizheng.accounts.models import ScopeKind
from chizheng.core import inputs
from chizheng.org.models import Department

from ..models import ImportJob, Institution, KeyGroup, SkillLevel, TeacherCertificate
from ..selectors import id_index
from .cells import (
    CERTIFICATE_KINDS,
    EVALUATOR_KINDS,
    INSTITUTION_KINDS,
    KEY_GROUPS,
    _Bad,
    _credit_code,
    _date,
    _id_number,
    _int,
    _phone,
    _raise,
    _text,
    _yes_no,
)
from .context import Context


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Chinese, as in the template
    required: bool = False
    example: str = ""
    note: str = ""


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
