"""The annual plan: indicators and targets, their allocation to the counties, the ten programmes.

Targets are reference data of the plan document (chizheng/plan/reference/*.yaml); actuals are
never stored here — they are computed from the records (see selectors.py).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from chizheng.accounts.scope import Scope


class Plan(models.Model):
    """One city's plan for one year (e.g. 平技领办〔2022〕5号)."""

    city = models.ForeignKey("org.City", on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=200)
    source = models.CharField("文号", max_length=60)
    issued_on = models.DateField("印发日期")
    issued_by = models.CharField("印发单位", max_length=100)

    # The plan is a published document (此件主动公开): every signed-in user reads it.
    access_scope: ClassVar[Scope] = Scope(reference=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = verbose_name_plural = "年度工作方案"
        constraints = [models.UniqueConstraint(fields=["city", "year"], name="plan_city_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.source}"


class Indicator(models.Model):
    class Comparison(models.TextChoices):
        AT_LEAST = "at_least", "以上"
        EXACTLY = "exactly", "完成"
        ABOUT = "about", "左右"
        AT_MOST = "at_most", "不超过"

    class Measure(models.TextChoices):
        COUNT = "count", "计数"
        SHARE = "share", "比例"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField("代码", max_length=40)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name="上级指标（其中）",
    )
    name = models.CharField("指标", max_length=60)
    name_en = models.CharField("指标（英文）", max_length=100)
    target = models.DecimalField("目标", max_digits=12, decimal_places=4)
    unit = models.CharField("单位", max_length=10)
    unit_size = models.PositiveIntegerField("单位折算（条记录）", default=1)
    measure = models.CharField(
        "口径", max_length=10, choices=Measure.choices, default=Measure.COUNT
    )
    comparison = models.CharField("比较", max_length=10, choices=Comparison.choices)
    policy_parameter = models.CharField("取自政策参数", max_length=80, blank=True)
    clause = models.CharField("条款", max_length=20)
    original = models.TextField("原文")
    order = models.PositiveSmallIntegerField("顺序")
    # The 附件1 column: heading as printed, the 备注 formula and its basis.
    allocated = models.BooleanField("分解到县", default=False)
    heading = models.CharField("附件1栏目", max_length=40, blank=True)
    allocation_basis = models.CharField("分解依据", max_length=20, blank=True)
    allocation_note = models.TextField("备注（分解公式）", blank=True)

    access_scope: ClassVar[Scope] = Scope(reference=True)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = verbose_name_plural = "指标"
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="indicator_plan_code")]

    def __str__(self) -> str:
        return f"{self.name} {self.target}{self.unit}"


class CountyTarget(models.Model):
    """One county's allocated target for one indicator (a cell of 附件1)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="county_targets"
    )
    county = models.ForeignKey("org.County", on_delete=models.PROTECT, related_name="plan_targets")
    target = models.DecimalField("目标", max_digits=12, decimal_places=4)
    label = models.CharField("市县（附件1）", max_length=20)

    access_scope: ClassVar[Scope] = Scope(city="indicator__plan__city", county="county")

    class Meta:
        ordering = ["indicator", "county__order"]
        verbose_name = verbose_name_plural = "县（市、区）目标"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "county"], name="county_target_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.indicator.name} {self.target}"


class Allocation(models.Model):
    """How one indicator's county targets were set: method, weights and manual adjustments."""

    class Method(models.TextChoices):
        LARGEST_REMAINDER = "largest_remainder", "最大余额法"
        DOCUMENT = "document", "按文件附件"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="allocations")
    method = models.CharField("方法", max_length=20, choices=Method.choices)
    unit = models.DecimalField("取整单位", max_digits=12, decimal_places=4)
    total = models.DecimalField("总数", max_digits=12, decimal_places=4)
    weights = models.JSONField("权重", default=dict, blank=True)  # {county code: "weight"}
    basis = models.CharField("权重依据", max_length=40, blank=True)
    # [{county, value, reason}] — each value fixed by hand rather than by the method.
    adjustments = models.JSONField("人工调整", default=list, blank=True)
    result = models.JSONField("结果", default=dict)  # {county code: "value"}
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("时间")

    access_scope: ClassVar[Scope] = Scope(city="indicator__plan__city")

    class Meta:
        ordering = ["indicator", "-created_at", "-id"]
        verbose_name = verbose_name_plural = "分解记录"

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.get_method_display()} {self.created_at:%Y-%m-%d}"


class Programme(models.Model):
    """One of the ten special programmes of §1–10 (十大专项)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="programmes")
    number = models.PositiveSmallIntegerField("序号")
    name = models.CharField("名称", max_length=60)
    clause = models.CharField("条款", max_length=10)

    access_scope: ClassVar[Scope] = Scope(reference=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = verbose_name_plural = "专项"
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="programme_plan_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def lead(self) -> ProgrammeUnit | None:
        return self.units.order_by("position").first()


class ProgrammeUnit(models.Model):
    """A responsible unit of a programme; position 1 is the lead unit (牵头单位)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="units")
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="programme_roles"
    )
    position = models.PositiveSmallIntegerField("排序")

    access_scope: ClassVar[Scope] = Scope(reference=True)

    class Meta:
        ordering = ["programme", "position"]
        verbose_name = verbose_name_plural = "责任单位"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "position"], name="programme_unit_position"
            ),
            models.UniqueConstraint(
                fields=["programme", "department"], name="programme_unit_department"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.name}：{self.department.name}"

    @property
    def is_lead(self) -> bool:
        return self.position == 1


class CertificateTally(models.Model):
    """Certificates counted per county, month and counter — derived, never typed in.

    Rebuilt from the certificates by ``tally.tally_refresh`` whenever they change (the
    assessment services call ``services.tally_certificates_changed``), so the dashboard reads a few thousand
    rows instead of aggregating a year of certificates (benchmarks/plan_dashboard.py).
    """

    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    county = models.ForeignKey("org.County", on_delete=models.CASCADE, related_name="+")
    counter = models.CharField("计数项", max_length=30)
    count = models.PositiveIntegerField("数量")

    access_scope: ClassVar[Scope] = Scope(city="county__city", county="county")

    class Meta:
        verbose_name = verbose_name_plural = "证书统计（派生）"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "county", "month", "counter"], name="certificate_tally_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.county_id} {self.counter}={self.count}"
