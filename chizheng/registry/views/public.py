"""The public catalogs (no sign-in, issue 16): training institutions with the occupations of
the year's catalog, filed evaluation institutions with their occupations and levels, and the
catalog's online platforms — searchable, by county, paged, exportable."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from chizheng.core import clock
from chizheng.core.search import search_query
from chizheng.org.selectors import county_options

from .. import public_selectors as ps
from ..public_tables import PUBLIC_TABLES
from ..tables import XLSX, export_xlsx
from .common import download

PAGE_SIZE = 30


def _filters(request: HttpRequest, counties: dict[str, str], years: list[int]) -> dict[str, Any]:
    """The search, county and year asked for; what is invalid is ignored with a message."""
    got = request.GET
    out: dict[str, Any] = {
        "q": search_query(request),
        "county": "",
        "year": years[0] if years else clock.today().year,
    }
    county = got.get("county", "").strip()
    if county and county not in counties:
        messages.error(request, "未知的县（市、区），已忽略")
    else:
        out["county"] = county
    year = got.get("year", "").strip()
    if year and (not year.isdigit() or int(year) not in years):
        messages.error(request, "该年度没有目录清单，已显示最近年度")
    elif year:
        out["year"] = int(year)
    return out


def public_catalog(request: HttpRequest, which: str = "training") -> HttpResponse:
    table = PUBLIC_TABLES.get(which)
    if table is None:
        raise Http404("没有这个目录")
    counties = dict(county_options())
    years = ps.catalog_years()
    chosen = _filters(request, counties, years)
    if which == "training":
        qs = ps.training_catalog(year=chosen["year"], q=chosen["q"], county=chosen["county"])
    elif which == "evaluators":
        qs = ps.filed_evaluators(q=chosen["q"], county=chosen["county"])
    else:
        qs = ps.catalog_platforms(q=chosen["q"])
    if request.GET.get("format") == "xlsx":
        return download(export_xlsx(table, qs), f"{table.title}-{clock.today():%Y%m%d}.xlsx", XLSX)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "registry/public_catalog.html",
        {
            "table": table,
            "tables": [(t.name, t.title) for t in PUBLIC_TABLES.values()],
            "page": page,
            "rows": table.rows(page.object_list),
            "chosen": chosen,
            "counties": counties.items(),
            "years": years,
            "params": query.urlencode(),
        },
    )
