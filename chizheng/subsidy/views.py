"""Thin pages of subsidies, funds, vouchers and the bulletin: parse, call one service or
selector, render. Errors of an action come back as a message on the page they came from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from chizheng.accounts.access import can
from chizheng.accounts.models import User
from chizheng.assessment import certificate_mix
from chizheng.core import clock
from chizheng.core.errors import DomainError, ValidationError
from chizheng.core.lazy import lazy_import
from chizheng.core.review import Seen

from . import individual_selectors, selectors, services, standards, voucher_selectors, workflow
from .models import ClaimStatus, VoucherStatus
from .money import check_amount

# Loaded when an export is first made (chizheng.core.lazy): openpyxl and ReportLab.
if TYPE_CHECKING:
    from . import exports
else:
    exports = lazy_import("chizheng.subsidy.exports")


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _act(
    request: HttpRequest, to: str, ok: str, do: Callable[[], object], **kw: int
) -> HttpResponse:
    try:
        do()
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, ok)
    return redirect(reverse(to, kwargs=kw))


def _date(raw: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(f"日期格式应为 YYYY-MM-DD：{raw}", detail={"field": field}) from None


def _money(raw: str, field: str) -> Decimal:
    try:
        value = Decimal(raw.replace(",", "").strip())
    except InvalidOperation:
        raise ValidationError(f"金额格式不正确：{raw[:20]}", detail={"field": field}) from None
    return check_amount(value, field=field)


def _int(raw: str, field: str, *, low: int = 0, high: int = 2**63 - 1) -> int:
    """A whole number typed in a form (a year, an id), within the columns' range."""
    try:
        value = int((raw or "0").strip())
    except ValueError:
        raise ValidationError(f"应为整数：{raw[:20]}", detail={"field": field}) from None
    if not low <= value <= high:
        raise ValidationError(f"应在{low}至{high}之间：{value}", detail={"field": field})
    return value


@login_required
def claim_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    claims = selectors.claim_list(
        actor=actor,
        status=request.GET.get("status", ""),
        overdue=request.GET.get("overdue") == "1",
    )[:200]
    return render(
        request,
        "subsidy/list.html",
        {"claims": claims, "statuses": ClaimStatus.choices, "query": request.GET},
    )


@login_required
def class_claim(request: HttpRequest, class_id: int) -> HttpResponse:
    """The subsidy part of a class page: its claim, or the button to calculate it."""
    from chizheng.training.selectors import class_get

    actor = _actor(request)
    training_class = class_get(actor=actor, class_id=class_id)
    claim = selectors.class_claim(actor=actor, class_id=class_id)
    if claim is not None:
        return redirect("subsidy:detail", claim_id=claim.pk)
    return render(
        request,
        "subsidy/class.html",
        {
            "training_class": training_class,
            "may_claim": can(actor, "subsidy.claim", training_class),
        },
    )


@login_required
@require_POST
def calculate(request: HttpRequest, class_id: int) -> HttpResponse:
    actor = _actor(request)
    try:
        claim = services.claim_calculate(actor=actor, class_id=class_id)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("subsidy:class", class_id=class_id)
    messages.success(request, f"已测算：{claim.persons}人，{claim.amount}元")
    return redirect("subsidy:detail", claim_id=claim.pk)


@login_required
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    actor = _actor(request)
    ctx = selectors.claim_page(actor=actor, claim_id=claim_id)
    claim = ctx["claim"]
    ctx.update(
        actions={t.name for t in workflow.available(claim, actor)},
        commitment=services.COMMITMENT,
        today=clock.today(),
        can_recover=can(actor, "fund.manage") and ctx["disbursement"] is not None,
        can_handle=can(actor, "notice.handle"),
        can_reveal=claim.is_individual
        and claim.status in services.bank_reveal.REVEALABLE
        and can(actor, "claim.reveal_account", claim),
        seen=selectors.review_seen(claim=claim),  # the review form carries it back
        mix_over=certificate_mix.over_cap(
            (claim.calculation or {}).get("inputs", {}).get("certificate_mix")
        ),
    )
    return render(request, "subsidy/detail.html", ctx)


def _individual_form(
    request: HttpRequest, ctx: dict[str, object], claim_id: int = 0
) -> HttpResponse:
    """The form of an individual claim: his certificate, its training, his bank, the 承诺."""
    claim = ctx.get("claim")
    chosen = request.POST.get("training_institution_id", "")
    ctx.update(
        commitment=services.COMMITMENT,
        claim_id=claim_id,
        # what he typed comes back, his account number never does
        bank_name=request.POST.get("bank_name", getattr(claim, "bank_name", "")),
        chosen=int(chosen)
        if chosen.isascii() and chosen.isdigit()
        else getattr(claim, "trained_by_id", None),
    )
    return render(request, "subsidy/individual_form.html", ctx)


def _individual_fields(request: HttpRequest) -> dict[str, Any]:
    raw = request.POST.get("training_institution_id", "").strip()
    return {
        "bank_name": request.POST.get("bank_name", ""),
        "bank_account": request.POST.get("bank_account", ""),
        "commitment": services.COMMITMENT if request.POST.get("commit") == "on" else "",
        "training_institution_id": _int(raw, "training_institution_id", low=1) if raw else None,
    }


@login_required
def individual_apply(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """个人申领补贴: a worker applies for one of his certificates (附件2 备注2)."""
    actor = _actor(request)
    if request.method == "POST":
        try:
            claim = services.individual_claim_apply(
                actor=actor, certificate_id=certificate_id, **_individual_fields(request)
            )
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, "个人补贴申请已提交行业主管部门审核")
            return redirect("subsidy:detail", claim_id=claim.pk)
    ctx = individual_selectors.application_form(actor=actor, certificate_id=certificate_id)
    return _individual_form(request, ctx)


@login_required
def individual_resubmit(request: HttpRequest, claim_id: int) -> HttpResponse:
    """A returned individual claim, corrected and submitted again."""
    actor = _actor(request)
    claim = selectors.claim_get(actor=actor, claim_id=claim_id)
    if request.method == "POST":
        try:
            services.individual_claim_resubmit(
                actor=actor, claim_id=claim_id, **_individual_fields(request)
            )
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, "已重新提交行业主管部门审核")
            return redirect("subsidy:detail", claim_id=claim_id)
    if not claim.is_individual or claim.certificate_id is None:
        return redirect("subsidy:detail", claim_id=claim_id)
    ctx = individual_selectors.application_form(actor=actor, certificate_id=claim.certificate_id)
    ctx.update(claim=claim)
    return _individual_form(request, ctx, claim_id)


@login_required
@require_POST
def submit(request: HttpRequest, claim_id: int) -> HttpResponse:
    commitment = services.COMMITMENT if request.POST.get("commit") == "on" else ""
    return _act(
        request,
        "subsidy:detail",
        "已提交行业主管部门审核",
        lambda: services.claim_submit(
            actor=_actor(request),
            claim_id=claim_id,
            applicant_name=request.POST.get("applicant_name", ""),
            commitment=commitment,
        ),
        claim_id=claim_id,
    )


def _seen(request: HttpRequest) -> Seen:
    """The step and version the review form was drawn with (hidden fields)."""
    version = request.POST.get("version", "")
    if (
        not (version.isascii() and version.isdigit())
        or not request.POST.get("level")
        or not request.POST.get("step")
    ):
        raise ValidationError(
            "审核表单缺少所审环节或版本，请刷新页面后再审核",
            message_en="the review form names no step or version",
            detail={"fields": ["level", "step", "version"]},
        )
    return Seen(level=request.POST["level"], step=request.POST["step"], version=int(version))


@login_required
@require_POST
def review(request: HttpRequest, claim_id: int) -> HttpResponse:
    return _act(
        request,
        "subsidy:detail",
        "审核意见已提交",
        lambda: services.claim_review(
            actor=_actor(request),
            claim_id=claim_id,
            decision=request.POST.get("decision", ""),
            opinion=request.POST.get("opinion", ""),
            seen=_seen(request),
        ),
        claim_id=claim_id,
    )


@login_required
@require_POST
def notice_close(request: HttpRequest, claim_id: int) -> HttpResponse:
    return _act(
        request,
        "subsidy:detail",
        "公示已结束，转人社部门审核",
        lambda: services.notice_close(actor=_actor(request), claim_id=claim_id),
        claim_id=claim_id,
    )


@login_required
@require_POST
def objection_handle(request: HttpRequest, claim_id: int, objection_id: int) -> HttpResponse:
    return _act(
        request,
        "subsidy:detail",
        "异议处理情况已登记",
        lambda: services.objection_handle(
            actor=_actor(request),
            objection_id=objection_id,
            outcome=request.POST.get("outcome", ""),
            handling=request.POST.get("handling", ""),
        ),
        claim_id=claim_id,
    )


@login_required
@require_POST
def disburse(request: HttpRequest, claim_id: int) -> HttpResponse:
    return _act(
        request,
        "subsidy:detail",
        "资金已拨付",
        lambda: services.claim_disburse(actor=_actor(request), claim_id=claim_id),
        claim_id=claim_id,
    )


@login_required
@require_POST
def recover(request: HttpRequest, claim_id: int) -> HttpResponse:
    return _act(
        request,
        "subsidy:detail",
        "追缴已登记，资金已退回",
        lambda: services.disbursement_recover(
            actor=_actor(request),
            claim_id=claim_id,
            amount=_money(request.POST.get("amount", ""), "amount"),
            reason=request.POST.get("reason", ""),
        ),
        claim_id=claim_id,
    )


@login_required
def funds(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if request.method == "POST":
        return _act(
            request,
            "subsidy:funds",
            "预算已登记",
            lambda: services.fund_budget(
                actor=actor,
                source=request.POST.get("source", ""),
                year=_int(request.POST.get("year", ""), "year"),
                amount=_money(request.POST.get("amount", ""), "amount"),
                reason=request.POST.get("reason", ""),
            ),
        )
    rows = [(f, services.SOURCES.get(f.source, f.source)) for f in selectors.fund_list(actor=actor)]
    return render(
        request,
        "subsidy/funds.html",
        {
            "rows": rows,
            "sources": services.SOURCES.items(),
            "year": clock.today().year,
            "can_manage": can(actor, "fund.manage"),
        },
    )


@login_required
def standard_table(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if request.method == "POST":
        return _act(
            request,
            "subsidy:standards",
            "已录入新的标准版本",
            lambda: services.standard_version_add(
                actor=actor,
                key=request.POST.get("key", ""),
                amount=_money(request.POST.get("amount", ""), "amount"),
                valid_from=_date(request.POST.get("valid_from", ""), "valid_from"),
                clause=request.POST.get("clause", ""),
                original=request.POST.get("original", ""),
                source=request.POST.get("source", ""),
                note=request.POST.get("note", ""),
            ),
        )
    day = _date(request.GET["at"], "at") if request.GET.get("at") else clock.today()
    table = standards.standard_at(day, city_id=_actor(request).home_city_id)
    return render(
        request,
        "subsidy/standards.html",
        {
            "table": table,
            "items": sorted(
                table.items.values(),
                key=lambda i: (
                    list(standards.LABELS).index(i.key) if i.key in standards.LABELS else 99
                ),
            ),
            "labels": standards.LABELS.items(),
            "can_edit": can(actor, "subsidy.standard"),
        },
    )


@login_required
def vouchers(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "issue":
            raw_expiry = request.POST.get("expires_on", "").strip()
            return _act(
                request,
                "subsidy:vouchers",
                "电子培训券已发放",
                lambda: services.voucher_issue(
                    actor=actor,
                    person_id=_int(request.POST.get("person_id", ""), "person_id"),
                    # blank: valid for the policy's months from today
                    expires_on=_date(raw_expiry, "expires_on") if raw_expiry else None,
                ),
            )
        return _act(
            request,
            "subsidy:vouchers",
            "培训券已绑定培训班",
            lambda: services.voucher_bind(
                actor=actor,
                number=request.POST.get("number", ""),
                class_id=_int(request.POST.get("class_id", ""), "class_id"),
                person_id=_int(request.POST.get("person_id", ""), "person_id"),
            ),
        )
    return render(
        request,
        "subsidy/vouchers.html",
        {
            "vouchers": selectors.voucher_list(actor=actor, status=request.GET.get("status", ""))[
                :200
            ],
            "statuses": VoucherStatus.choices,
            "can_issue": can(actor, "voucher.issue"),
            "can_bind": can(actor, "voucher.bind"),
            # a worker's own page: each of his vouchers with every step of its loop
            "mine": voucher_selectors.vouchers_with_steps(actor=actor)
            if can(actor, "trainee.own")
            else [],
        },
    )


@login_required
def voucher_detail(request: HttpRequest, voucher_id: int) -> HttpResponse:
    voucher, steps = voucher_selectors.voucher_steps(actor=_actor(request), voucher_id=voucher_id)
    deadline = voucher_selectors.voucher_deadline(voucher)
    return render(
        request, "subsidy/voucher.html", {"v": voucher, "steps": steps, "deadline": deadline}
    )


@login_required
def bulletin(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    start, end = selectors.quarter(clock.today())
    if request.GET.get("start"):
        start = _date(request.GET["start"], "start")
    if request.GET.get("end"):
        end = _date(request.GET["end"], "end")
    b = selectors.disbursements(actor=actor, start=start, end=end)
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return exports.bulletin_xlsx(b)
    if fmt == "pdf":
        return exports.bulletin_pdf(b)
    return render(request, "subsidy/bulletin.html", {"b": b})
