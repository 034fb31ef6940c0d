"""Thin views: the progress dashboard, 附件1, and the reports (pages, .xlsx, PDF)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chizheng.accounts.models import User
from chizheng.core.errors import ValidationError
from chizheng.core.lazy import lazy_import

from .selectors import (
    Progress,
    allocation_history,
    indicator_list,
    plan_for_year,
    plan_progress,
    programme_list,
)
from .tally import month_bounds

# Loaded when a report is first rendered (chizheng.core.lazy): openpyxl and ReportLab.
if TYPE_CHECKING:
    from . import reports
else:
    reports = lazy_import("chizheng.plan.reports")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _int(raw: str | None, name: str) -> int | None:
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationError(
            f"参数{name}应为整数：{raw}",
            message_en=f"{name} must be an integer",
            detail={"field": name},
        ) from None


def _date(raw: str | None) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(
            f"日期格式错误：{raw}，应为 YYYY-MM-DD",
            message_en="bad date",
            detail={"field": "until"},
        ) from None


def _download(body: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _chart(progress: Progress) -> dict[str, object]:
    """The chart's data: share done per county for each 附件1 indicator, and the calendar share
    (written into the page with ``json_script``, read by plan/dashboard.js)."""
    return {
        "counties": [c.short_name for c in progress.counties],
        "expected": float(progress.expected * 100),
        "series": [
            {
                "name": ip.indicator.name,
                "data": [
                    round(float((ip.counties[c.pk].share_done or 0) * 100), 1)
                    for c in progress.counties
                ],
            }
            for ip in progress.allocated
            if ip.available
        ],
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    plan = plan_for_year(actor=actor, year=_int(request.GET.get("year"), "year"))
    progress = plan_progress(actor=actor, plan=plan, until=_date(request.GET.get("until")))
    if request.GET.get("format") == "xlsx":
        report = reports.dashboard_report(progress=progress)
        return _download(
            reports.render_xlsx(report),
            filename=f"目标任务进度-{progress.until}.xlsx",
            content_type=XLSX,
        )
    rows = [
        {"ip": ip, "cells": [(c, ip.counties[c.pk]) for c in progress.counties]}
        for ip in progress.allocated
    ]
    month_ends = [(m, month_bounds(plan.year, m)[1]) for m in range(1, 13)]
    scope_label = reports.scope_label(progress)
    return render(
        request,
        "plan/dashboard.html",
        {
            "plan": plan,
            "progress": progress,
            "rows": rows,
            "chart": _chart(progress),
            "month_ends": month_ends,
            "scope_label": scope_label,
            "indicators": reports.indicator_section(progress, None, scope_label),
            "kinds": reports.KINDS,
        },
    )


@login_required
def plan_detail(request: HttpRequest) -> HttpResponse:
    """The plan as published: indicators, 附件1 exactly as printed, the ten programmes."""
    actor = _actor(request)
    plan = plan_for_year(actor=actor, year=_int(request.GET.get("year"), "year"))
    table = reports.attachment1_report(actor=actor, plan=plan)
    if request.GET.get("format") == "xlsx":
        return _download(
            reports.render_xlsx(table), filename=f"附件1-{plan.year}.xlsx", content_type=XLSX
        )
    return render(
        request,
        "plan/plan.html",
        {
            "plan": plan,
            "indicators": indicator_list(actor=actor, plan=plan),
            "table": table.sections[0],
            "subtitle": table.subtitle,
            "programmes": programme_list(actor=actor, plan=plan),
            "allocations": allocation_history(actor=actor, plan=plan),
        },
    )


@login_required
def report(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    plan = plan_for_year(actor=actor, year=_int(request.GET.get("year"), "year"))
    kind = request.GET.get("kind", "monthly")
    index = _int(request.GET.get("period"), "period") or 1
    built = reports.report_build(actor=actor, plan=plan, kind=kind, index=index)
    fmt = request.GET.get("format", "html")
    filename = f"{built.title}"
    if fmt == "xlsx":
        return _download(reports.render_xlsx(built), filename=f"{filename}.xlsx", content_type=XLSX)
    if fmt == "pdf":
        return _download(
            reports.render_pdf(built), filename=f"{filename}.pdf", content_type="application/pdf"
        )
    return render(
        request,
        "plan/report.html",
        {
            "plan": plan,
            "report": built,
            "kind": kind,
            "period": index,
            "kinds": reports.KINDS,
        },
    )
