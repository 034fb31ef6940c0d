"""The next steps a role's home page offers (issue 16: every home says what to do next).

Each step is a link the permission table lets the actor follow, with the figure of his scope
that tells him whether it is urgent (the count behind it), read through the selectors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse

from chizheng.accounts.access import can
from chizheng.accounts.models import User
from chizheng.plan.headline import plan_headline
from chizheng.subsidy.models import ClaimStatus
from chizheng.subsidy.selectors import claim_list, fund_list, voucher_list
from chizheng.supervision.selectors import finding_list
from chizheng.training.models import Status


@dataclass(frozen=True)
class Step:
    label: str
    url: str
    figure: str = ""  # what waits there, in the actor's scope ("3 件")
    urgent: bool = False
    testid: str = ""


def _money(amount: Decimal | None) -> str:
    return f"{amount or Decimal(0):,.2f} 元"


def next_steps(*, actor: User, today: dt.date, classes: dict[str, int], waiting: int) -> list[Step]:
    """``classes``: the actor's classes by state; ``waiting``: his review queue's length (both
    read once by the home page, which shows them too)."""
    steps: list[Step] = []
    if can(actor, "class.review"):  # the claims' steps are in the to-do list and 补贴
        steps.append(
            Step(
                "开班申请审核队列",
                reverse("training:queue"),
                f"{waiting} 件",
                urgent=bool(waiting),
                testid="step-review-queue",
            )
        )
    if can(actor, "assessment.record"):
        registered = classes[Status.ASSESSMENT_REGISTERED]
        steps.append(
            Step(
                "待登记考核结果的培训班",
                f"{reverse('training:list')}?status={Status.ASSESSMENT_REGISTERED}",
                f"{registered} 个",
                urgent=bool(registered),
                testid="step-results",
            )
        )
    if can(actor, "class.apply"):
        steps.append(Step("新建开班申请", reverse("training:new"), testid="step-new-class"))
        training = classes[Status.IN_TRAINING]
        steps.append(
            Step(
                "本机构培训中的班级（签到、录像、检查）",
                f"{reverse('training:list')}?status={Status.IN_TRAINING}",
                f"{training} 个",
                testid="step-in-training",
            )
        )
        returned = claim_list(actor=actor, status=ClaimStatus.RETURNED).count()
        if returned:
            steps.append(
                Step(
                    "退回修改的补贴申领",
                    f"{reverse('subsidy:list')}?status={ClaimStatus.RETURNED}",
                    f"{returned} 件",
                    urgent=True,
                    testid="step-returned-claims",
                )
            )
    if can(actor, "fund.manage"):
        approved = claim_list(actor=actor, status=ClaimStatus.APPROVED)
        steps.append(
            Step(
                "待拨付的补贴申领",
                f"{reverse('subsidy:list')}?status={ClaimStatus.APPROVED}",
                f"{approved.count()} 件，{_money(approved.aggregate(s=Sum('amount'))['s'])}",
                urgent=approved.exists(),
                testid="step-to-pay",
            )
        )
        balance = fund_list(actor=actor, year=today.year).aggregate(s=Sum("balance"))["s"]
        steps.append(
            Step(
                f"{today.year}年度补贴资金余额",
                reverse("subsidy:funds"),
                _money(balance),
                testid="step-funds",
            )
        )
    if can(actor, "inspection.record"):
        steps.append(
            Step("实地检查计划", reverse("training:inspection_plan"), testid="step-inspections")
        )
    if can(actor, "supervision.view"):
        open_findings = finding_list(actor=actor, year=today.year).count()
        steps.append(
            Step(
                "核查线索",
                reverse("supervision:list"),
                f"{open_findings} 条",
                urgent=bool(open_findings),
                testid="step-findings",
            )
        )
    if can(actor, "online.upload"):
        steps.append(Step("上传线上学习记录（接口）", "/api/v1/docs", testid="step-online-upload"))
    if can(actor, "trainee.own"):
        vouchers = voucher_list(actor=actor).count()
        steps.append(
            Step(
                "我的培训券", reverse("subsidy:vouchers"), f"{vouchers} 张", testid="step-vouchers"
            )
        )
    if can(actor, "plan.view"):
        figure = plan_headline(actor=actor, today=today)
        steps.append(Step("年度计划进度", reverse("plan:dashboard"), figure, testid="step-plan"))
    return steps
