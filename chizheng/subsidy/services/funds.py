"""The funds: each source's budget for a year, disbursing an approved claim from the sources
in §21's order (split across them) and redeeming its class's vouchers with it (以证换券), and
recovering an improper payment (追缴) back to the funds it came from. Claim row first, then
the fund rows in primary-key order, then the class's vouchers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum

from chizheng.accounts.access import require
from chizheng.accounts.models import User
from chizheng.core import audit, bank, clock
from chizheng.core.errors import DomainError, ValidationError
from chizheng.core.inputs import FIRST_YEAR, LAST_YEAR, check_text
from chizheng.rules import params

from .. import workflow
from ..models import (
    SOURCES,
    Claim,
    ClaimStatus,
    Disbursement,
    DisbursementPart,
    Fund,
    FundEntry,
    Recovery,
)
from ..money import ZERO, cents, check_amount
from .common import _locked_claim
from .vouchers import vouchers_redeem


class InsufficientFunds(DomainError):
    code = "insufficient_funds"
    http_status = 409


@transaction.atomic
def fund_budget(*, actor: User, source: str, year: int, amount: Decimal, reason: str) -> Fund:
    """Add (or, negative, reduce) the budget of one source's fund for a year."""
    require(actor, "fund.manage")
    if source not in SOURCES:
        raise ValidationError(f"未知的资金来源：{source}", detail={"field": "source"})
    if not reason.strip():
        raise ValidationError("须说明预算依据", detail={"field": "reason"})
    check_text(reason, field="reason", label="预算依据", max_length=200, multiline=True)
    check_amount(amount)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(f"年度应在{FIRST_YEAR}至{LAST_YEAR}之间", detail={"field": "year"})
    amount = cents(amount)
    assert actor.city_id is not None
    fund, _ = Fund.objects.get_or_create(city_id=actor.city_id, source=source, year=year)
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    if fund.balance + amount < 0:
        raise InsufficientFunds(f"{SOURCES[source]}余额{fund.balance}元，不足以调减{-amount}元")
    before = {"budget": str(fund.budget), "balance": str(fund.balance)}
    fund.budget += amount
    fund.balance += amount
    fund.save(update_fields=["budget", "balance"])
    FundEntry.objects.create(
        fund=fund,
        kind=FundEntry.Kind.BUDGET,
        amount=amount,
        reason=reason,
        actor=actor,
        on=clock.today(),
        at=clock.now(),
    )
    audit.record(
        actor=actor,
        action="fund.budget",
        obj=fund,
        before=before,
        after={"budget": str(fund.budget), "balance": str(fund.balance)},
        reason=reason,
    )
    return fund


def _payee(claim: Claim) -> dict[str, str]:
    """To whom the money goes and to which account, masked: the person himself (个人申请),
    or the institution with the bank of its class's 附件2."""
    if claim.is_individual:
        assert claim.person is not None
        return {
            "payee": claim.person.name,
            "payee_bank": claim.bank_name,
            "payee_account_masked": claim.bank_account_masked,
        }
    k, inst = claim.training_class, claim.institution
    account = k.bank_account if k else ""
    return {
        "payee": inst.name if inst else "",
        "payee_bank": k.bank_name if k else "",
        "payee_account_masked": bank.mask_account(account) if account else "",
    }


@dataclass(frozen=True)
class Draw:
    source: str
    amount: Decimal


def plan_draws(order: tuple[str, ...], balances: dict[str, Decimal], amount: Decimal) -> list[Draw]:
    """Draw ``amount`` from the sources in the policy's order, each down to zero at most.
    Pure; raises ``InsufficientFunds`` if all of them together fall short."""
    left, draws = amount, []
    for source in order:
        if left <= 0:
            break
        take = min(balances.get(source, ZERO), left)
        if take > 0:
            draws.append(Draw(source, take))
            left -= take
    if left > 0:
        available = sum((balances.get(s, ZERO) for s in order), ZERO)
        raise InsufficientFunds(
            f"各资金来源余额合计{available}元，不足以拨付{amount}元",
            message_en=f"funds hold {available}, {amount} needed",
            detail={"needed": str(amount), "available": str(available)},
        )
    return draws


@transaction.atomic
def claim_disburse(*, actor: User, claim_id: int) -> Disbursement:
    """Pay an approved claim from the funds in §21's order, splitting across sources.

    The claim row is locked first: a second, concurrent disbursement waits, then finds the
    claim paid and is refused (and ``Disbursement.claim`` is unique besides)."""
    require(actor, "fund.manage")
    claim = _locked_claim(actor, claim_id)
    if claim.status == ClaimStatus.PAID:
        raise workflow.TransitionRefused(
            "该申领已拨付，不能重复拨付", code="already_paid", detail={"claim": claim.pk}
        )
    if claim.status != ClaimStatus.APPROVED:
        raise workflow.TransitionRefused(f"“{claim.get_status_display()}”状态的申领不能拨付")
    today = clock.today()
    order = tuple(params.current().value("funding.source_order", today))
    funds = list(
        Fund.objects.select_for_update()
        .filter(city_id=claim.county.city_id, year=today.year)
        .order_by("pk")
    )
    by_source = {f.source: f for f in funds}
    draws = plan_draws(order, {f.source: f.balance for f in funds}, claim.amount)
    d = Disbursement.objects.create(
        claim=claim,
        county=claim.county,
        paid_on=today,
        amount=claim.amount,
        actor=actor,
        **_payee(claim),
    )
    for draw in draws:
        fund = by_source[draw.source]
        Fund.objects.filter(pk=fund.pk).update(balance=F("balance") - draw.amount)
        DisbursementPart.objects.create(disbursement=d, fund=fund, amount=draw.amount)
        FundEntry.objects.create(
            fund=fund,
            kind=FundEntry.Kind.DRAW,
            amount=-draw.amount,
            claim=claim,
            reason=f"拨付 {claim.title}",
            actor=actor,
            on=today,
            at=clock.now(),
        )
    # 以证换券: the class's vouchers are redeemed (or void) with the payment, in its transaction.
    vouchers_redeem(claim=claim, actor=actor)
    workflow.fire(
        claim,
        "disburse",
        actor=actor,
        reason="；".join(f"{SOURCES[x.source]} {x.amount}元" for x in draws),
    )
    return d


@transaction.atomic
def disbursement_recover(*, actor: User, claim_id: int, amount: Decimal, reason: str) -> Recovery:
    """追缴 (§三(三)): reclaim an improper payment; the money goes back to the funds it came
    from, the last-drawn source first."""
    require(actor, "fund.manage")
    return _recover(actor=actor, claim=_locked_claim(actor, claim_id), amount=amount, reason=reason)


@transaction.atomic
def recovery_ordered(*, actor: User, claim_id: int, amount: Decimal, reason: str) -> Recovery:
    """追缴 ordered by the conclusion of a supervision case (核查, §三(三)): the concluding
    office's decision (``recovery.order`` over the claim), returned to the funds as
    ``disbursement_recover`` does."""
    claim = _locked_claim(actor, claim_id)
    require(actor, "recovery.order", claim, message="无权对该申领作出追缴决定")
    return _recover(actor=actor, claim=claim, amount=amount, reason=reason)


def _recover(*, actor: User, claim: Claim, amount: Decimal, reason: str) -> Recovery:
    d = Disbursement.objects.filter(claim=claim).first()
    if d is None:
        raise workflow.TransitionRefused("该申领尚未拨付，无需追缴")
    check_amount(amount)
    amount = cents(amount)
    if not reason.strip():
        raise ValidationError("须说明追缴事由", detail={"field": "reason"})
    # the reason is also written on each fund entry (200 characters)
    check_text(reason, field="reason", label="追缴事由", max_length=200, multiline=True)
    if amount <= 0 or amount > d.amount - d.recovered:
        raise ValidationError(
            f"追缴金额须大于0且不超过未追缴的{d.amount - d.recovered}元", detail={"field": "amount"}
        )
    parts = list(d.parts.select_related("fund").order_by("-id"))
    list(Fund.objects.select_for_update().filter(pk__in=[p.fund_id for p in parts]).order_by("pk"))
    returned = {
        r["fund_id"]: r["amount"]
        for r in FundEntry.objects.filter(claim=claim, kind=FundEntry.Kind.RECOVERY)
        .values("fund_id")
        .annotate(amount=Sum("amount"))
    }
    left, today = amount, clock.today()
    rec = Recovery.objects.create(
        disbursement=d, amount=amount, reason=reason, on=today, actor=actor
    )
    for p in parts:
        room = p.amount - returned.get(p.fund_id, ZERO)
        back = min(room, left)
        if back <= 0:
            continue
        Fund.objects.filter(pk=p.fund_id).update(balance=F("balance") + back)
        FundEntry.objects.create(
            fund_id=p.fund_id,
            kind=FundEntry.Kind.RECOVERY,
            amount=back,
            claim=claim,
            reason=reason,
            actor=actor,
            on=today,
            at=clock.now(),
        )
        left -= back
    d.recovered += amount
    d.save(update_fields=["recovered"])
    audit.record(
        actor=actor,
        action="claim.recover",
        obj=claim,
        after={"amount": str(amount), "recovered": str(d.recovered)},
        reason=reason,
    )
    return rec
