"""The registry lists (institutions, teachers, sites, people, sanctions, catalog …): one page
per table of ``registry.tables``, with its filters, and its Excel export."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from chizheng.accounts.access import can
from chizheng.core import clock

from .. import services
from ..tables import export_xlsx, tables_for
from .common import PAGE_SIZE, XLSX, actor_of, download


@login_required
def table_list(request: HttpRequest, name: str) -> HttpResponse:
    actor = actor_of(request)
    table = tables_for(actor).get(name)
    if table is None:
        raise Http404
    qs = table.query(actor, request.GET)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    objects = list(page.object_list)
    detail = table.detail
    context = {
        "table": table,
        "page": page,
        "params": params.urlencode(),
        "rows": [
            (detail(o) if detail else "", cells)
            for o, cells in zip(objects, table.rows(objects), strict=True)
        ],
        "filters": [(f, request.GET.get(f.name, "")) for f in table.filters],
        "may_edit": services.may_edit(actor),
        "may_sanction": can(actor, "sanction.edit"),
    }
    template = "registry/_table.html" if request.headers.get("HX-Request") else "registry/list.html"
    return render(request, template, context)


@login_required
def table_export(request: HttpRequest, name: str) -> HttpResponse:
    """A short list is written at once; a long one (over ``EXPORT_DIRECT_MAX_ROWS``) becomes
    a background job whose page offers the file when it is ready."""
    actor = actor_of(request)
    table = tables_for(actor).get(name)
    if table is None:
        raise Http404
    qs = table.query(actor, request.GET)
    if qs.count() > settings.EXPORT_DIRECT_MAX_ROWS:
        job = services.export_start(actor=actor, table=name, filters=request.GET)
        return redirect("jobs:detail", pk=job.pk)
    body = export_xlsx(table, qs.iterator(chunk_size=2000))
    return download(body, f"{table.title}-{clock.today():%Y%m%d}.xlsx", XLSX)
