"""Pages of the supervision area, under /supervision/: the findings (filtered by year, kind,
county and institution in the URL, paginated, exported as .xlsx) and one finding with its
evidence. Offered to whom ``supervision.view`` is granted; what each sees is the access
layer's (a county bureau its county's findings)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chizheng.accounts.access import require
from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.org.selectors import county_list
from chizheng.registry.tables import XLSX, export_xlsx

from . import selectors
from .exports import FINDING_TABLE
from .models import Finding

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _filters(request: HttpRequest, actor: User) -> dict[str, Any]:
    """The URL's filters, each checked; a bad one is said in Chinese and left out."""
    got = request.GET
    out: dict[str, Any] = {"year": None, "kind": "", "county": "", "institution": None}
    year = got.get("year", "").strip()
    if year:
        if year.isdigit() and 2000 <= int(year) <= 2100:
            out["year"] = int(year)
        else:
            messages.error(request, f"年度“{year[:10]}”无效，已忽略")
    kind = got.get("kind", "").strip()
    if kind:
        if kind in Finding.Kind.values:
            out["kind"] = kind
        else:
            messages.error(request, "未知的线索类型，已忽略")
    county = got.get("county", "").strip()
    if county:
        if county in {c.code for c in county_list(actor=actor)}:
            out["county"] = county
        else:
            messages.error(request, "未知的县（市、区），已忽略")
    institution = got.get("institution", "").strip()
    if institution:
        if institution.isdigit():
            out["institution"] = int(institution)
        else:
            messages.error(request, "培训机构编号无效，已忽略")
    return out


@login_required
def finding_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    require(actor, "supervision.view", message="无权查看监督核查线索")
    chosen = _filters(request, actor)
    qs = selectors.finding_list(actor=actor, **chosen)
    if request.GET.get("format") == "xlsx":
        body = export_xlsx(FINDING_TABLE, qs.iterator(chunk_size=2000))
        response = HttpResponse(body, content_type=XLSX)
        name = f"监督核查线索-{clock.today():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return render(
        request,
        "supervision/list.html",
        {
            "page": page,
            "kinds": Finding.Kind.choices,
            "counties": [(c.code, c.short_name) for c in county_list(actor=actor)],
            "institutions": selectors.finding_institutions(actor=actor),
            "years": selectors.finding_years(actor=actor),
            "chosen": chosen,
            "params": params.urlencode(),
        },
    )


@login_required
def finding_detail(request: HttpRequest, finding_id: int) -> HttpResponse:
    actor = _actor(request)
    require(actor, "supervision.view", message="无权查看监督核查线索")
    finding = selectors.finding_get(actor=actor, finding_id=finding_id)
    return render(request, "supervision/detail.html", {"finding": finding})
