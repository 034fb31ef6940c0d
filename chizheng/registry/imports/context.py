"""What every row of a file is checked against (``Context``): the occupations, counties,
departments, institutions and their filings, and the actor's scope, loaded once per file
so that checking is set-based.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from chizheng.accounts.access import can, visible
from chizheng.accounts.models import ScopeKind, User
from chizheng.org.models import County, Department

from ..models import Institution
from ..selectors import occupation_codes
from .cells import _Bad


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
        may_file=can(actor, "institution.file"),
    )
