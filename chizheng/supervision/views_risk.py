"""Pages of risk and the findings dashboard, under /supervision/: the ranked risks of the
institutions, evaluators and platforms (filters in the URL, .xlsx), one subject's findings
behind its score, and the findings counted by kind, county, institution and month (a chart,
.xlsx). Offered to whom ``supervision.view`` is granted; what each sees is the selectors'
(a county bureau its county's findings and institutions)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from chizheng.accounts.access import require
from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.core.errors import NotFound
from chizheng.org.selectors import county_list
from chizheng.registry.tables import XLSX
from chizheng.rules import risk as rules
from chizheng.rules.params import PolicyNotInForce

from . import dashboard, risk
from .exports_risk import risk_xlsx, stats_xlsx
from .models import Finding

DENIED = "无权查看监督核查线索"


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _download(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _year(request: HttpRequest, default: int | None) -> int | None:
    raw = request.GET.get("year", "").strip()
    if not raw:
        return default
    if raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    messages.error(request, f"年度“{raw[:10]}”无效，已忽略")
    return default


def _choice(request: HttpRequest, name: str, allowed: set[str], said: str) -> str:
    raw = request.GET.get(name, "").strip()
    if raw and raw not in allowed:
        messages.error(request, f"{said}，已忽略")
        return ""
    return raw


def _params(request: HttpRequest) -> str:
    params: QueryDict = request.GET.copy()
    params.pop("format", None)
    return params.urlencode()


def _scored_year(request: HttpRequest) -> int:
    """The year a risk is scored for: the URL's, if the policy scores it, else this year."""
    this = clock.today().year
    year = _year(request, this) or this
    try:
        rules.bands(risk.policy_at(year))
    except PolicyNotInForce:
        messages.error(request, f"{year}年没有生效的风险参数，已改为{this}年")
        return this
    return year


@login_required
def risk_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    require(actor, "supervision.view", message=DENIED)
    counties = [(c.code, c.short_name) for c in county_list(actor=actor)]
    chosen: dict[str, Any] = {
        "year": _scored_year(request),
        "subject": _choice(request, "subject", set(rules.SUBJECT_KINDS), "未知的对象类别"),
        "county": _choice(request, "county", {c for c, _ in counties}, "未知的县（市、区）"),
        "band": _choice(request, "band", set(rules.BAND_LABELS), "未知的风险等级"),
    }
    rows = risk.risk_ranking(
        actor=actor,
        year=chosen["year"],
        subject_kind=chosen["subject"],
        county=chosen["county"],
        band=chosen["band"],
    )
    if request.GET.get("format") == "xlsx":
        return _download(
            risk_xlsx(rows), f"机构风险排名-{chosen['year']}-{clock.today():%Y%m%d}.xlsx"
        )
    at = risk.policy_at(chosen["year"])
    sections = [
        (kind, label, [r for r in rows if r.risk.subject_kind == kind])
        for kind, label in rules.SUBJECT_KINDS.items()
        if not chosen["subject"] or chosen["subject"] == kind
    ]
    return render(
        request,
        "supervision/risk_list.html",
        {
            "sections": sections,
            "chosen": chosen,
            "years": risk.years(actor=actor),
            "subjects": list(rules.SUBJECT_KINDS.items()),
            "bands": rules.bands(at),
            "counties": counties,
            "params": _params(request),
            "policy": _policy(at),
        },
    )


def _policy(at: Any) -> dict[str, Any]:
    """The parameters a score is made of, for the page's explanation."""
    return {
        "years": at["supervision.risk_years"],
        "decay": at["supervision.risk_year_decay"],
        "weights": [
            (str(label), at["supervision.risk_weights"].get(kind, "—"))
            for kind, label in Finding.Kind.choices
        ],
        "clause": at.clause("supervision.risk_weights"),
    }


@login_required
def risk_detail(request: HttpRequest, subject: str, institution_id: int) -> HttpResponse:
    actor = _actor(request)
    require(actor, "supervision.view", message=DENIED)
    year = _scored_year(request)
    if subject not in rules.SUBJECT_KINDS:
        raise NotFound("未知的对象类别", message_en="unknown kind of subject")
    row = risk.subject_risk(
        actor=actor, subject_kind=subject, institution_id=institution_id, year=year
    )
    titles = dict(Finding.Kind.choices)
    return render(
        request,
        "supervision/risk_detail.html",
        {
            "row": row,
            "year": year,
            "years": risk.years(actor=actor),
            "lines": [(c, titles.get(c.kind, c.kind)) for c in row.risk.contributions],
            "policy": _policy(risk.policy_at(year)),
        },
    )


@login_required
def findings_dashboard(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    require(actor, "supervision.view", message=DENIED)
    counties = [(c.code, c.short_name) for c in county_list(actor=actor)]
    chosen: dict[str, Any] = {
        "year": _year(request, None),
        "kind": _choice(request, "kind", set(Finding.Kind.values), "未知的线索类型"),
        "county": _choice(request, "county", {c for c, _ in counties}, "未知的县（市、区）"),
    }
    stats = dashboard.finding_stats(actor=actor, **chosen)
    if request.GET.get("format") == "xlsx":
        return _download(stats_xlsx(stats), f"监督核查线索统计-{clock.today():%Y%m%d}.xlsx")
    return render(
        request,
        "supervision/dashboard.html",
        {
            "stats": stats,
            "chart": dashboard.chart(stats),
            "chosen": chosen,
            "years": risk.years(actor=actor),
            "kinds": Finding.Kind.choices,
            "counties": counties,
            "params": _params(request),
        },
    )
