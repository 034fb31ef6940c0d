"""Pages of the online area: the platforms' void shares (the office's dashboard), the
confirm-violation action, the platforms' codes, the online learners and a learner's void
segments."""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chizheng.accounts.access import access_by_id, can
from chizheng.accounts.models import User
from chizheng.core import clock, spreadsheet
from chizheng.core.errors import DomainError, ValidationError
from chizheng.core.lazy import lazy_import
from chizheng.registry.selectors import platform_list

from .platforms import platform_code_register

# Loaded when first used (chizheng.core.lazy): Arrow and DuckDB are not start-up work.
if TYPE_CHECKING:
    from . import jobs, selectors, services
else:
    jobs = lazy_import("chizheng.online.jobs")
    selectors = lazy_import("chizheng.online.selectors")
    services = lazy_import("chizheng.online.services")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _period(request: HttpRequest) -> selectors.Period:
    return "month" if request.GET.get("period") == "month" else "day"


def _pct(share: object) -> float | None:
    return None if share is None else round(float(str(share)) * 100, 2)


def _chart(shares: selectors.Shares) -> dict[str, object]:
    """The chart's data (written into the page with ``json_script``, read by online/dashboard.js)."""
    periods = sorted({r.period for r in shares.rows})
    fmt = "%Y-%m" if shares.period == "month" else "%Y-%m-%d"
    series = []
    for p in shares.platforms:
        cells = {r.period: r for r in shares.rows if r.platform.pk == p.pk}
        series.append(
            {
                "name": p.name,
                "data": [_pct(cells[d].void_share) if d in cells else None for d in periods],
            }
        )
    return {"periods": [d.strftime(fmt) for d in periods], "series": series}


def _xlsx(shares: selectors.Shares) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "平台无效学时占比"
    ws.append(
        spreadsheet.row(
            [
                "线上平台",
                "月份" if shares.period == "month" else "日期",
                "有效时长（小时）",
                "无效时长（小时）",
                "无效占比（%）",
            ]
            + [f"{label}（{code}，%）" for code, label in selectors.rule_headers(on=clock.today())]
        )
    )
    for r in shares.rows:
        ws.append(
            spreadsheet.row(
                [
                    r.platform.name,
                    r.period.isoformat(),
                    float(r.valid_s) / 3600,
                    float(r.void_s) / 3600,
                    _pct(r.void_share),
                ]
                + [_pct(s) for _, s in r.rule_shares]
            )
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    shares = selectors.platform_shares(actor=actor, period=_period(request))
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(_xlsx(shares), content_type=XLSX)
        name = f"线上平台无效学时占比-{clock.today()}.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response
    return render(
        request,
        "online/dashboard.html",
        {
            "shares": shares,
            "chart": _chart(shares),
            "rules": selectors.rule_headers(on=clock.today()),
            "may_confirm": can(actor, "online.manage"),
            "confirm_rows": [(p, shares.bans.get(p.pk)) for p in shares.platforms],
            "codes": selectors.platform_codes(actor=actor) if can(actor, "online.manage") else [],
            "today": clock.today(),
            "nightly_at": settings.NIGHTLY_AT,
        },
    )


@login_required
@require_POST
def audit_run(request: HttpRequest) -> HttpResponse:
    """Start the audit of every stored event and bringing its result in (a background job)."""
    job = jobs.audit_start(actor=_actor(request))
    return redirect("jobs:detail", pk=job.pk)


@login_required
@require_POST
def platform_code(request: HttpRequest, platform_id: int) -> HttpResponse:
    """The office registers (or changes) a platform's code."""
    actor = _actor(request)
    try:
        platform = access_by_id(actor, platform_list(actor=actor), platform_id)
        row = platform_code_register(
            actor=actor, institution=platform, code=request.POST.get("code", "").strip()
        )
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request,
            f"{platform.name} 的平台代码为 {row.code}；平台用户可在“接口令牌”页面签发上传令牌",
        )
    return redirect("online:dashboard")


@login_required
@require_POST
def confirm_violation(request: HttpRequest, platform_id: int) -> HttpResponse:
    actor = _actor(request)
    try:
        raw = request.POST.get("violated_on", "")
        try:
            violated_on = dt.date.fromisoformat(raw)
        except ValueError:
            raise ValidationError(
                "请填写违规日期", message_en="a violation date is required"
            ) from None
        sanction = services.confirm_platform_violation(
            actor=actor,
            institution_id=platform_id,
            violated_on=violated_on,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as e:
        messages.error(request, e.message)
    else:
        until = f"至{sanction.ends_on - dt.timedelta(days=1)}" if sanction.ends_on else ""
        messages.success(
            request,
            f"已确认违规：{sanction.institution.name}自{sanction.starts_on}起"
            f"{until}禁止参与补贴培训（{sanction.clause}），其上传将被拒收",
        )
    return redirect("online:dashboard")


@login_required
def learner_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.learners(actor=_actor(request))[:500]
    return render(request, "online/learners.html", {"rows": rows})


@login_required
def learner_detail(request: HttpRequest, learner_id: int) -> HttpResponse:
    row, segments = selectors.learner_void_segments(actor=_actor(request), learner_id=learner_id)
    return render(request, "online/learner.html", {"row": row, "segments": segments})


@login_required
@require_POST
def bind_course(request: HttpRequest, class_id: int) -> HttpResponse:
    try:
        course = services.bind_course(
            actor=_actor(request), class_id=class_id, course_key=request.POST.get("course_key", "")
        )
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"已绑定平台课程 {course.course_key}")
    return redirect("training:detail", class_id)
