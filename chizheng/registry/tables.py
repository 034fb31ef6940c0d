"""The registry lists as tables: filters, columns and rows, shared by the list pages and the
.xlsx exports so that both show the same scoped rows (ID numbers masked)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet
from django.http import QueryDict
from django.urls import reverse

from chizheng.accounts.models import User
from chizheng.core import clock, spreadsheet

from . import selectors
from .models import Institution, KeyGroup, Occupation, Sanction


@dataclass(frozen=True)
class Filter:
    name: str
    label: str
    choices: list[tuple[str, str]] = field(default_factory=list)  # empty: free text


@dataclass(frozen=True)
class Col:
    header: str
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    query: Callable[[User, QueryDict], QuerySet[Any]]
    columns: tuple[Col, ...]
    filters: tuple[Filter, ...] = ()
    detail: Callable[[Any], str] | None = None
    search_hint: str = "搜索"

    def rows(self, objects: Iterable[Any]) -> list[list[Any]]:
        return [[c.value(o) for c in self.columns] for o in objects]


def _county_choices(actor: User) -> list[tuple[str, str]]:
    from chizheng.org.selectors import county_list

    return [(c.code, c.short_name) for c in county_list(actor=actor)]


def _bool(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


def _year(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() else None


def _code(o: Model | None) -> str:
    return getattr(o, "code", "") if o is not None else ""


def _label(o: Any) -> str:
    return str(o) if o is not None else ""


def _date(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def _sanction_status(s: Sanction) -> str:
    today = clock.today()
    if s.is_active(today):
        return "生效中"
    if s.lifted_on is not None and s.lifted_on <= today:
        return "已解除"
    return "未生效" if today < s.starts_on else "已到期"


def tables_for(actor: User) -> dict[str, Table]:
    counties = _county_choices(actor)
    yes_no = [("1", "是"), ("0", "否")]
    return {
        "occupations": Table(
            "occupations",
            "职业分类（2022年版）",
            lambda a, g: selectors.occupation_list(
                actor=a, level=g.get("level", ""), q=g.get("q", ""), parent=g.get("parent", "")
            ),
            (
                Col("编码", lambda o: o.code),
                Col("名称", lambda o: o.name),
                Col("层级", lambda o: o.get_level_display()),
                Col("上级", lambda o: _label(o.parent)),
            ),
            (Filter("q", "编码或名称"), Filter("level", "层级", list(Occupation.Level.choices))),
            lambda o: reverse("registry:occupation", args=[o.code]),
            "编码（如 6-18）或名称",
        ),
        "institutions": Table(
            "institutions",
            "机构",
            lambda a, g: selectors.institution_search(
                actor=a,
                q=g.get("q", ""),
                kind=g.get("kind", ""),
                county=g.get("county", ""),
                evaluator=_bool(g.get("evaluator", "")),
            ),
            (
                Col("名称", lambda i: i.name),
                Col("统一社会信用代码", lambda i: i.credit_code),
                Col("类型", lambda i: i.get_kind_display()),
                Col("县（市、区）", lambda i: i.county.short_name),
                Col("行业主管部门", lambda i: _label(i.department)),
                Col(
                    "评价机构类别",
                    lambda i: i.get_evaluator_kind_display() if i.evaluator_kind else "",
                ),
                Col(
                    "备案状态", lambda i: i.get_filing_status_display() if i.evaluator_kind else ""
                ),
                Col("备案日期", lambda i: _date(i.filed_on)),
            ),
            (
                Filter("q", "名称或信用代码"),
                Filter("kind", "类型", list(Institution.Kind.choices)),
                Filter("county", "县（市、区）", counties),
                Filter("evaluator", "评价机构", yes_no),
            ),
            lambda i: reverse("registry:institution", args=[i.pk]),
            "名称或统一社会信用代码",
        ),
        "catalog": Table(
            "catalog",
            "目录清单",
            lambda a, g: selectors.catalog_list(
                actor=a,
                year=_year(g.get("year", "")),
                q=g.get("q", ""),
                county=g.get("county", ""),
            ),
            (
                Col("年度", lambda e: e.year),
                Col("机构", lambda e: e.institution.name),
                Col("县（市、区）", lambda e: e.institution.county.short_name),
                Col("职业编码", lambda e: e.occupation.code),
                Col("职业", lambda e: e.occupation.name),
                Col("起始日期", lambda e: _date(e.valid_from)),
                Col("截止日期", lambda e: _date(e.valid_until)),
                Col("纳入方式", lambda e: e.get_source_display()),
            ),
            (
                Filter("q", "机构或职业"),
                Filter("year", "年度"),
                Filter("county", "县（市、区）", counties),
            ),
            lambda e: reverse("registry:institution", args=[e.institution_id]),
        ),
        "teachers": Table(
            "teachers",
            "师资",
            lambda a, g: selectors.teacher_list(
                actor=a,
                q=g.get("q", ""),
                full_time=_bool(g.get("full_time", "")),
                county=g.get("county", ""),
            ).prefetch_related("occupations"),
            (
                Col("姓名", lambda t: t.name),
                Col("身份证号码", lambda t: t.id_masked),
                Col("机构", lambda t: t.institution.name),
                Col("专职", lambda t: "是" if t.full_time else "否"),
                Col("任教职业", lambda t: "、".join(o.code for o in t.occupations.all())),
            ),
            (
                Filter("q", "姓名或机构"),
                Filter("full_time", "专职", yes_no),
                Filter("county", "县（市、区）", counties),
            ),
            lambda t: reverse("registry:teacher", args=[t.pk]),
        ),
        "sites": Table(
            "sites",
            "场地与工位",
            lambda a, g: selectors.site_list(
                actor=a, q=g.get("q", ""), county=g.get("county", "")
            ).prefetch_related("workstations__occupation"),
            (
                Col("场地", lambda s: s.name),
                Col("机构", lambda s: s.institution.name),
                Col("地址", lambda s: s.address),
                Col(
                    "工位",
                    lambda s: "、".join(
                        f"{w.occupation.code}×{w.count}" for w in s.workstations.all()
                    ),
                ),
            ),
            (Filter("q", "场地或机构"), Filter("county", "县（市、区）", counties)),
            lambda s: reverse("registry:site", args=[s.pk]),
        ),
        "people": Table(
            "people",
            "人员",
            lambda a, g: selectors.person_search(
                actor=a,
                q=g.get("q", ""),
                county=g.get("county", ""),
                key_group=g.get("key_group", ""),
                student=_bool(g.get("student", "")),
            ),
            (
                Col("姓名", lambda p: p.name),
                Col("身份证号码", lambda p: p.id_masked),
                Col("手机号码", lambda p: p.phone_masked),
                Col("县（市、区）", lambda p: p.county.short_name),
                Col("重点群体", lambda p: p.get_key_group_display() if p.key_group else ""),
                Col("工作单位", lambda p: _label(p.employer)),
                Col("岗位职业", lambda p: _code(p.post_occupation)),
            ),
            (
                Filter("q", "姓名、身份证号码或手机号"),
                Filter("county", "县（市、区）", counties),
                Filter("key_group", "重点群体", list(KeyGroup.choices)),
                Filter("student", "在校生", yes_no),
            ),
            lambda p: reverse("registry:person", args=[p.pk]),
            "姓名，或完整的身份证号码/手机号",
        ),
        "sanctions": Table(
            "sanctions",
            "处理措施（停止开班整改、黑名单、平台禁入）",
            lambda a, g: selectors.sanction_list(
                actor=a,
                kind=g.get("kind", ""),
                q=g.get("q", ""),
                county=g.get("county", ""),
                active_on=clock.today() if g.get("active") == "1" else None,
            ),
            (
                Col("机构", lambda s: s.institution.name),
                Col("类型", lambda s: s.get_kind_display()),
                Col("依据", lambda s: s.clause),
                Col("起始日期", lambda s: _date(s.starts_on)),
                Col("到期日期（当日失效）", lambda s: _date(s.ends_on)),
                Col("解除日期", lambda s: _date(s.lifted_on)),
                Col("状态", _sanction_status),
                Col("事由", lambda s: s.reason),
            ),
            (
                Filter("q", "机构"),
                Filter("kind", "类型", list(Sanction.Kind.choices)),
                Filter("active", "仅生效中", [("1", "是")]),
                Filter("county", "县（市、区）", counties),
            ),
            lambda s: reverse("registry:sanction", args=[s.pk]),
        ),
        "rosters": Table(
            "rosters",
            "花名册",
            lambda a, g: selectors.roster_list(actor=a),
            (
                Col("名称", lambda r: r.title),
                Col("机构", lambda r: r.institution.name),
                Col("导入时间", lambda r: r.created_at.date().isoformat()),
            ),
            (),
            lambda r: reverse("registry:roster", args=[r.pk]),
        ),
    }


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_xlsx(
    table: Table, objects: Iterable[Any], *, on_rows: Callable[[int], None] | None = None
) -> bytes:
    """The table as a workbook (``core.spreadsheet.workbook``: constant memory, formula text
    escaped); ``on_rows`` is told how many rows are written so far (an export job's progress)."""
    return spreadsheet.workbook(
        table.title,
        (c.header for c in table.columns),
        ([c.value(o) for c in table.columns] for o in objects),
        on_rows=on_rows,
    )


__all__ = ["XLSX", "Col", "Filter", "Table", "export_xlsx", "tables_for"]
