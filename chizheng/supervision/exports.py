"""The findings and the cases as .xlsx tables (the registry's table machinery: text that would
start a formula is escaped, personal data is already masked in the findings)."""

from __future__ import annotations

from chizheng.accounts.models import User
from chizheng.registry.tables import Col, Table

from .models import Case, Finding


def _none(actor: User, params: object) -> object:
    return Finding.objects.none()


def _subjects(f: Finding) -> str:
    return "；".join(str(s.get("label", "")) for s in f.subjects)


FINDING_TABLE = Table(
    name="findings",
    title="监督核查线索",
    query=_none,  # type: ignore[arg-type]
    columns=(
        Col("编号", lambda f: f.pk),
        Col("年度", lambda f: f.year),
        Col("类型", lambda f: f.get_kind_display()),
        Col("依据条款", lambda f: f.clause),
        Col("风险分值", lambda f: float(f.score)),
        Col("县（市、区）", lambda f: f.county.short_name),
        Col("培训机构", lambda f: f.institution.name if f.institution else ""),
        Col("概要", lambda f: f.summary),
        Col("涉及对象", _subjects),
        Col("比对结果", lambda f: f.evidence.get("compared", "")),
        Col("处理建议", lambda f: f.action),
        Col("发现时间", lambda f: f.found_at.strftime("%Y-%m-%d %H:%M")),
    ),
)


def _case_none(actor: User, params: object) -> object:
    return Case.objects.none()


CASE_TABLE = Table(
    name="cases",
    title="核查案件",
    query=_case_none,  # type: ignore[arg-type]
    columns=(
        Col("案件编号", lambda c: c.number),
        Col("年度", lambda c: c.year),
        Col("案由", lambda c: c.title),
        Col("县（市、区）", lambda c: c.county.short_name),
        Col("状态", lambda c: c.get_state_display()),
        Col(
            "承办人",
            lambda c: c.assignee.get_full_name() or c.assignee.username if c.assignee else "",
        ),
        Col("立案时间", lambda c: c.opened_at.strftime("%Y-%m-%d %H:%M")),
        Col(
            "办结时间",
            lambda c: c.concluded_at.strftime("%Y-%m-%d %H:%M") if c.concluded_at else "",
        ),
        Col("核查结论", lambda c: c.conclusion),
    ),
)
