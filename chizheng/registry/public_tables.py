"""The public catalogs as tables (the page and its .xlsx export show the same rows): the year's
training catalog, the filed evaluation institutions, the catalog's online platforms."""

from __future__ import annotations

from .models import Institution
from .tables import Col, Table

LEVELS = {5: "五级", 4: "四级", 3: "三级", 2: "二级", 1: "一级"}


def _entries(inst: Institution) -> str:
    return "；".join(
        f"{e.occupation.code} {e.occupation.name}"
        + (
            f"（{e.valid_from:%Y-%m-%d}起）"
            if e.valid_from.month > 1 or e.valid_from.day > 1
            else ""
        )
        + (f"（至{e.valid_until:%Y-%m-%d}）" if e.valid_until else "")
        for e in inst.catalog_entries.all()
    )


def _scopes(inst: Institution) -> str:
    return "；".join(
        f"{s.occupation.code} {s.occupation.name}（"
        + "、".join(LEVELS.get(n, str(n)) for n in sorted(s.levels, reverse=True))
        + "）"
        for s in inst.evaluation_scopes.all()
    )


TRAINING = Table(
    "training",
    "培训机构目录清单",
    lambda actor, params: Institution.objects.none(),  # rows come from public_selectors
    (
        Col("机构名称", lambda i: i.name),
        Col("类型", lambda i: i.get_kind_display()),
        Col("县（市、区）", lambda i: i.county.short_name),
        Col("统一社会信用代码", lambda i: i.credit_code),
        Col("培训职业（工种）", _entries),
    ),
)
EVALUATORS = Table(
    "evaluators",
    "备案评价机构",
    lambda actor, params: Institution.objects.none(),
    (
        Col("机构名称", lambda i: i.name),
        Col("类别", lambda i: i.get_evaluator_kind_display()),
        Col("县（市、区）", lambda i: i.county.short_name),
        Col("备案编号", lambda i: i.filing_number),
        Col("备案日期", lambda i: i.filed_on),
        Col("评价职业（工种）及等级", _scopes),
    ),
)
PLATFORMS = Table(
    "platforms",
    "线上培训平台目录",
    lambda actor, params: Institution.objects.none(),
    (
        Col("平台名称", lambda i: i.name),
        Col("统一社会信用代码", lambda i: i.credit_code),
        Col("纳入目录日期", lambda i: i.catalog_since),
    ),
)
PUBLIC_TABLES = {t.name: t for t in (TRAINING, EVALUATORS, PLATFORMS)}
