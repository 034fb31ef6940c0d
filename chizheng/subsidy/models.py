"""Subsidy claims (补贴资金申领), their review and public notice, fund accounts and
disbursements, recoveries, the standards' dated versions entered by the office, and
electronic training vouchers (电子培训券) — the lower half of 附件2 as records.

Statuses change only through ``workflow.fire`` (claims) and ``vouchers._move`` (vouchers),
each writing a transition row and an audit event. Money columns are Decimal with two
places; ``money.cents`` is the one place a value is rounded.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from chizheng.accounts.scope import Scope
from chizheng.core.review.models import ReviewStep, Versioned, decision_choices

from .applicant import SHAPE, ApplicantKind, IndividualApplicant

# The funding sources of §21, by the codes of the policy's ``funding.source_order``.
SOURCES: dict[str, str] = {
    "skills_upgrade_account": "职业技能提升行动专账",
    "employment_subsidy": "就业补助资金",
    "unemployment_extraction": "失业保险基金提取资金",
    "unemployment_insurance": "失业保险基金",
    "local_talent": "地方人才经费",
    "industry_development": "行业产业发展经费",
}

_CLAIM_SCOPE: dict[str, str] = dict(
    city="county__city",
    county="county",
    department="department",
    institution="institution",
)


def _via(prefix: str, person: str | None = None) -> Scope:
    s = _CLAIM_SCOPE
    return Scope(
        city=f"{prefix}__{s['city']}",
        county=f"{prefix}__{s['county']}",
        department=f"{prefix}__{s['department']}",
        institution=f"{prefix}__{s['institution']}",
        person=person or f"{prefix}__person",  # a worker: what hangs off his own claim
    )


class StandardVersion(models.Model):
    """A dated amount of the subsidy standard entered by the city office; at read time it
    overrides the value of ``policy/parameters/subsidy.yaml`` for its key from its date."""

    city = models.ForeignKey(
        "org.City", null=True, on_delete=models.PROTECT, related_name="+", verbose_name="市"
    )  # the city whose office entered it; it applies to that city's claims only
    key = models.CharField("标准项目", max_length=40)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    valid_from = models.DateField("生效日期")
    clause = models.CharField("条款", max_length=60)
    original = models.TextField("原文")
    source = models.CharField("文件", max_length=100)
    note = models.TextField("说明", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField()

    access_scope: ClassVar[Scope] = Scope(reference=True)

    class Meta:
        ordering = ["key", "valid_from", "id"]
        verbose_name = verbose_name_plural = "补贴标准版本"
        constraints = [
            models.UniqueConstraint(
                fields=["city", "key", "valid_from"], name="subsidy_std_city_key_from"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="subsidy_std_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.amount} 自{self.valid_from}"


class ClaimStatus(models.TextChoices):
    CALCULATED = "calculated", "已测算，待申领"
    SUBMITTED = "submitted", "待行业主管部门初审"
    INDUSTRY_FIRST = "industry_first", "待行业主管部门复核"
    ON_NOTICE = "on_notice", "公示中"
    HR_REVIEW = "hr_review", "待人社部门初审"
    HR_FIRST = "hr_first", "待人社部门复核"
    FINANCE_REVIEW = "finance_review", "待财政部门初审"
    FINANCE_FIRST = "finance_first", "待财政部门复核"
    APPROVED = "approved", "待拨付"
    PAID = "paid", "已拨付"
    RETURNED = "returned", "退回修改"
    REJECTED = "rejected", "不予补贴"


class Claim(Versioned, IndividualApplicant):
    """A claim with its stored calculation: a class's by its institution, or one
    certificate's by the person himself (``applicant``; the class only if he trained in one)."""

    training_class = models.ForeignKey(
        "training.TrainingClass",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
    )
    institution = models.ForeignKey(
        "registry.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
    )
    county = models.ForeignKey("org.County", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "状态", max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.CALCULATED
    )
    persons = models.PositiveIntegerField("申请补贴人数", default=0)
    amount = models.DecimalField("申请补贴资金（元）", default=0, max_digits=14, decimal_places=2)
    calculation = models.JSONField("测算过程", default=dict)
    calculated_on = models.DateField("测算日期（政策日期）")
    policy_fingerprint = models.CharField(max_length=16)
    standard_fingerprint = models.CharField(max_length=16)
    applicant_name = models.CharField("申请承诺人", max_length=50, blank=True)
    commitment = models.TextField("承诺", blank=True)
    committed_on = models.DateField("承诺日期", null=True, blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    notice_from = models.DateField("公示起", null=True, blank=True)
    notice_earliest_end = models.DateField("公示最早期满", null=True, blank=True)
    notice_until = models.DateField("公示止", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # An individual's claim: the person's county, the class's (or training institution's)
    # department; he sees his own (ADR 0006).
    access_scope: ClassVar[Scope] = Scope(
        city="county__city",
        county="county",
        department="department",
        institution="institution",
        person="person",
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "补贴申领"
        constraints = [
            # One live claim per class (its institution's) or per certificate (a person's):
            # a new one only after the earlier was rejected.
            models.UniqueConstraint(
                fields=["training_class"],
                condition=~models.Q(status="rejected") & models.Q(applicant_kind="institution"),
                name="subsidy_one_live_claim_per_class",
            ),
            models.UniqueConstraint(
                fields=["certificate"],
                condition=~models.Q(status="rejected") & models.Q(applicant_kind="individual"),
                name="subsidy_one_live_claim_per_certificate",
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="subsidy_claim_amount"),
            models.CheckConstraint(condition=SHAPE, name="subsidy_claim_applicant_shape"),
        ]
        indexes = [models.Index(fields=["status", "county"], name="subsidy_claim_status")]

    def __str__(self) -> str:
        return f"补贴申领 {self.title} {self.get_status_display()}"

    @property
    def title(self) -> str:
        """The class's batch, or 个人申请 and the person's name (officials' screens show
        names; the public notice masks them)."""
        if self.applicant_kind == ApplicantKind.INDIVIDUAL:
            return f"个人申请 {self.person.name if self.person else ''}".strip()
        return self.training_class.batch if self.training_class else ""


class ClaimLine(models.Model):
    """One trainee of the class: his certificate, the standard applied and the amount."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="lines")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    certificate = models.ForeignKey(
        "assessment.Certificate", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occupation_code = models.CharField(max_length=20)
    standard_key = models.CharField(max_length=40, blank=True)
    amount = models.DecimalField(default=0, max_digits=14, decimal_places=2)
    payable = models.BooleanField(default=False)
    reason = models.CharField(max_length=200, blank=True)
    priority = models.CharField(max_length=20, blank=True)
    # True while the line holds the person's one subsidy for this occupation and level.
    counted = models.BooleanField(default=False)
    # The voucher the line is paid for (以证换券): his own, bound to this class, valid when it
    # began (rule ``claim.voucher``); redeemed when the claim is paid.
    voucher = models.ForeignKey(
        "Voucher", null=True, blank=True, on_delete=models.PROTECT, related_name="claim_lines"
    )

    access_scope: ClassVar[Scope] = _via("claim", person="person")

    class Meta:
        ordering = ["claim", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "occupation_code", "standard_key"],
                condition=models.Q(counted=True),
                name="subsidy_once_per_person_occupation_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id}/{self.person_id} {self.amount}"


class ClaimTransition(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="transitions")
    name = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    access_scope: ClassVar[Scope] = _via("claim")

    class Meta:
        ordering = ["claim", "at", "id"]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.name}"


class ClaimReview(ReviewStep):
    """One review step (初审 / 复核) of one level of a claim, due a number of working days
    after the level accepted the claim (§21)."""

    class Level(models.TextChoices):
        INDUSTRY = "industry", "行业主管部门"
        HR = "hr", "人力资源社会保障部门"
        FINANCE = "finance", "财政部门"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="reviews")
    level = models.CharField("审核层级", max_length=10, choices=Level.choices)
    decision = models.CharField(
        "审核结论", max_length=10, choices=decision_choices(reject="不予补贴"), blank=True
    )

    access_scope: ClassVar[Scope] = _via("claim")

    class Meta:
        ordering = ["claim", "id"]


class Objection(models.Model):
    """An objection (异议) to a public notice, from anyone, and the office's handling."""

    class Outcome(models.TextChoices):
        OPEN = "open", "待处理"
        DISMISSED = "dismissed", "异议不成立"
        UPHELD = "upheld", "异议成立"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="objections")
    text = models.TextField("异议内容")
    contact = models.CharField("联系方式", max_length=60, blank=True)
    received_at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    handling = models.TextField("处理情况", blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_on = models.DateField(null=True, blank=True)

    access_scope: ClassVar[Scope] = Scope(
        city="claim__county__city", county="claim__county", department="claim__department"
    )

    class Meta:
        ordering = ["claim", "id"]

    def __str__(self) -> str:
        return f"异议 {self.claim_id} {self.outcome}"


class Fund(models.Model):
    """A fund account of one funding source for one budget year (§21, §三(三))."""

    city = models.ForeignKey("org.City", on_delete=models.PROTECT, related_name="+")
    source = models.CharField("资金来源", max_length=40, choices=list(SOURCES.items()))
    year = models.PositiveSmallIntegerField("年度")
    budget = models.DecimalField("预算（元）", default=0, max_digits=14, decimal_places=2)
    balance = models.DecimalField("余额（元）", default=0, max_digits=14, decimal_places=2)

    access_scope: ClassVar[Scope] = Scope(city="city")

    class Meta:
        ordering = ["year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["city", "source", "year"], name="subsidy_fund_unique"),
            models.CheckConstraint(
                condition=models.Q(balance__gte=0), name="subsidy_fund_never_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.year}"


class FundEntry(models.Model):
    """Every change of a fund's balance: budget, draw (拨付) or recovery (追缴)."""

    class Kind(models.TextChoices):
        BUDGET = "budget", "预算"
        DRAW = "draw", "拨付"
        RECOVERY = "recovery", "追缴"

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)  # signed: draws are negative
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="fund_entries"
    )
    reason = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on = models.DateField()
    at = models.DateTimeField()

    access_scope: ClassVar[Scope] = Scope(city="fund__city")

    class Meta:
        ordering = ["fund", "id"]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.kind} {self.amount}"


class Disbursement(models.Model):
    """The payment of one claim (资金拨付). One per claim: never paid twice."""

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="disbursement")
    county = models.ForeignKey("org.County", on_delete=models.PROTECT, related_name="+")
    paid_on = models.DateField("拨付时间")
    amount = models.DecimalField("拨付金额（元）", max_digits=14, decimal_places=2)
    # To whom and to which account (masked) it went, as recorded on the day.
    payee = models.CharField("收款人", max_length=100, blank=True)
    payee_bank = models.CharField("开户银行名称", max_length=100, blank=True)
    payee_account_masked = models.CharField("银行帐号（脱敏）", max_length=40, blank=True)
    recovered = models.DecimalField("已追缴（元）", default=0, max_digits=14, decimal_places=2)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    access_scope: ClassVar[Scope] = _via("claim")

    class Meta:
        ordering = ["paid_on", "id"]
        indexes = [models.Index(fields=["paid_on", "county"], name="subsidy_disb_paid")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recovered__gte=0) & models.Q(recovered__lte=models.F("amount")),
                name="subsidy_disb_recovered_range",
            )
        ]

    def __str__(self) -> str:
        return f"拨付 {self.claim_id} {self.amount}"


class DisbursementPart(models.Model):
    disbursement = models.ForeignKey(Disbursement, on_delete=models.CASCADE, related_name="parts")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=14, decimal_places=2)

    access_scope: ClassVar[Scope] = _via("disbursement__claim")

    class Meta:
        ordering = ["disbursement", "id"]

    def __str__(self) -> str:
        return f"{self.disbursement_id} {self.fund_id} {self.amount}"


class Recovery(models.Model):
    """追缴: an improper payment reclaimed and returned to the funds it came from."""

    disbursement = models.ForeignKey(
        Disbursement, on_delete=models.PROTECT, related_name="recoveries"
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    reason = models.TextField("追缴事由")
    on = models.DateField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    access_scope: ClassVar[Scope] = _via("disbursement__claim")

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"追缴 {self.disbursement_id} {self.amount}"


class VoucherStatus(models.TextChoices):
    ISSUED = "issued", "已发放"
    BOUND = "bound", "已绑定培训班"
    CERTIFIED = "certified", "已取证，待兑付"
    REDEEMED = "redeemed", "已兑付"
    VOID = "void", "已作废"


class Voucher(models.Model):
    """电子职业培训券: real-name, bound to one class, worth its amount only with a certificate,
    redeemed when the claim line it pays for is paid (以证换券、无证无价)."""

    number = models.CharField("券号", max_length=30, unique=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    county = models.ForeignKey("org.County", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=VoucherStatus.choices, default=VoucherStatus.ISSUED
    )
    issued_on = models.DateField("发放日期")
    expires_on = models.DateField("有效期至")
    training_class = models.ForeignKey(
        "training.TrainingClass",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vouchers",
    )
    institution = models.ForeignKey(
        "registry.Institution", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The roster line it was presented for at binding; the claim line of that trainee is
    # the one it pays for (a line whose presented voucher is another person's is not paid).
    enrolment = models.ForeignKey(
        "training.Enrolment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    certificate = models.ForeignKey(
        "assessment.Certificate", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    standard_key = models.CharField(max_length=40, blank=True)
    amount = models.DecimalField(
        "兑付金额（元）", null=True, blank=True, max_digits=14, decimal_places=2
    )

    access_scope: ClassVar[Scope] = Scope(
        city="county__city", county="county", institution="institution", person="person"
    )

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [
            # One voucher in hand at a time: issued or bound.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=["issued", "bound"]),
                name="subsidy_one_open_voucher",
            )
        ]

    def __str__(self) -> str:
        return f"培训券 {self.number}"


class VoucherEvent(models.Model):
    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="events")
    name = models.CharField(max_length=20)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()

    access_scope: ClassVar[Scope] = Scope(
        city="voucher__county__city",
        county="voucher__county",
        institution="voucher__institution",
        person="voucher__person",
    )

    class Meta:
        ordering = ["voucher", "at", "id"]

    def __str__(self) -> str:
        return f"{self.voucher_id} {self.name}"
