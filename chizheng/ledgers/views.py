"""The ledgers' pages (§三(二)): the training and the evaluation ledger by a level or a
category, filtered by the rows drilled through, exported as shown; the certificates a row of
the evaluation ledger counts, paged and exported (a long list as a job)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from chizheng.accounts.access import require
from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.registry.views.common import download

from . import selectors, services
from .dimensions import EVALUATION, TRAINING, Dimension
from .tables import XLSX, certificate_row, certificates_xlsx, ledger_xlsx

LEDGERS = {"training": (TRAINING, "培训台账"), "evaluation": (EVALUATION, "评价台账")}
PAGE_SIZE = 50
MAX_VALUE = 40  # characters of a filter's value


def _actor(request: HttpRequest) -> User:
    actor: User = request.user  # type: ignore[assignment]
    require(actor, "ledger.view", message="您的角色无权查看培训、评价台账")
    return actor


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "").strip()
    if raw and raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= clock.today().year + 1:
        return int(raw)
    if raw:
        messages.error(request, f"年度“{raw[:10]}”无效，已显示{clock.today().year}年")
    return clock.today().year


def _filters(request: HttpRequest, dims: dict[str, Dimension]) -> dict[str, str]:
    """The dimensions' values the URL filters by; an invalid one is said and left out."""
    out = {}
    for name, dim in dims.items():
        value = request.GET.get(name, "").strip()
        if not value:
            continue
        ok = len(value) <= MAX_VALUE and value.isprintable()
        if dim.numeric:
            ok = ok and value.isascii() and value.isdigit()
        if ok:
            out[name] = value
        else:
            messages.error(request, f"{dim.label}的筛选值无效，已忽略")
    return out


def _query(year: int, by: str, filters: dict[str, str], **more: str) -> str:
    return "?" + urlencode({"year": str(year), "by": by, **filters, **more})


@login_required
def ledger(request: HttpRequest, which: str = "training") -> HttpResponse:
    if which not in LEDGERS:
        raise Http404("没有这个台账")
    actor = _actor(request)
    dims, title = LEDGERS[which]
    year = _year(request)
    by = request.GET.get("by", "county")
    if by not in dims:
        messages.error(request, "未知的统计维度，已按县（市、区）统计")
        by = "county"
    filters = _filters(request, dims)
    read = selectors.training_ledger if which == "training" else selectors.evaluation_ledger
    result = read(actor=actor, year=year, by=by, filters=filters)
    if request.GET.get("format") == "xlsx":
        name = f"{year}年{title}（按{dims[by].label}）"
        return download(ledger_xlsx(result, name), f"{name}-{clock.today():%Y%m%d}.xlsx", XLSX)
    named = selectors.filter_labels(dims, filters, ledger=which, year=year)
    rows = []
    for r in result.rows:
        url = ""
        if by == "class" and r.key is not None:
            url = reverse("training:detail", args=[r.key])
        elif dims[by].drill == "list" and r.drill:
            url = reverse("ledgers:certificates") + _query(year, by, {**filters, **r.drill})
        elif dims[by].drill and r.drill:
            url = _query(year, dims[by].drill, {**filters, **r.drill})
        rows.append((r, url, [(n, r.counts[n]) for n, _ in result.columns]))
    return render(
        request,
        "ledgers/ledger.html",
        {
            "which": which,
            "title": title,
            "year": year,
            "by": dims[by],
            "levels": [(d, _query(year, d.name, filters)) for d in dims.values() if d.level],
            "categories": [
                (d, _query(year, d.name, filters)) for d in dims.values() if not d.level
            ],
            "chosen": [
                (dims[k], named[k], _query(year, by, {x: y for x, y in filters.items() if x != k}))
                for k in filters
            ],
            "hidden": list(filters.items()),
            "ledger": result,
            "rows": rows,
            "total": [(n, result.total[n]) for n, _ in result.columns],
            "export": _query(year, by, filters, format="xlsx"),
            "other": ("evaluation" if which == "training" else "training"),
        },
    )


@login_required
def certificates(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    year = _year(request)
    filters = _filters(request, EVALUATION)
    qs = selectors.evaluation_certificates(actor=actor, year=year, filters=filters)
    if request.GET.get("format") == "xlsx":
        if qs.count() > settings.EXPORT_DIRECT_MAX_ROWS:
            job = services.export_start(actor=actor, year=year, filters=filters)
            return redirect("jobs:detail", pk=job.pk)
        full = qs.select_related("person", "issuing_institution", "training_class")
        return download(
            certificates_xlsx(full), f"评价台账证书清单-{clock.today():%Y%m%d}.xlsx", XLSX
        )
    page = Paginator(
        qs.select_related("person", "issuing_institution", "training_class").order_by(
            "issued_on", "id"
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    back: dict[str, Any] = {"year": year, "by": "county", **filters}
    named = selectors.filter_labels(EVALUATION, filters, ledger="evaluation", year=year)
    return render(
        request,
        "ledgers/certificates.html",
        {
            "year": year,
            "chosen": [(EVALUATION[k], named[k]) for k in filters],
            "page": page,
            "rows": [certificate_row(c) for c in page.object_list],
            "export": _query(year, "county", filters, format="xlsx"),
            "back": reverse("ledgers:ledger", args=["evaluation"]) + "?" + urlencode(back),
        },
    )
