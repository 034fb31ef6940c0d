"""Institutions (§12–18): the record, the history of the city office's filing and catalog
decisions on it, what a filed evaluator may assess, and the year's catalog (目录清单);
``_institution_scope``, the access scope of every record an institution owns.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from chizheng.accounts.scope import Scope

from .occupations import Occupation


class Institution(models.Model):
    class Kind(models.TextChoices):
        ENTERPRISE_CENTRE = "enterprise_centre", "企业培训中心"
        TECHNICAL_SCHOOL = "technical_school", "技工院校"
        VOCATIONAL_SCHOOL = "vocational_school", "职业院校"
        PRIVATE_SCHOOL = "private_school", "民办职业培训学校"
        PUBLIC_CENTRE = "public_centre", "公共就业训练中心"
        UNIVERSITY = "university", "高等院校"
        EVALUATOR = "evaluator", "评价机构"
        PLATFORM = "platform", "线上平台"
        EMPLOYER = "employer", "用人单位"

    class EvaluatorKind(models.TextChoices):
        EMPLOYER = "employer", "用人单位（企业）评价机构"
        SCHOOL = "school", "院校评价机构"
        SOCIAL = "social", "社会培训评价组织"
        SPECIAL_ABILITY = "special_ability", "专项职业能力考核机构"

    class FilingStatus(models.TextChoices):
        NONE = "", "未备案"
        FILED = "filed", "已备案"
        REVOKED = "revoked", "已撤销备案"

    class CatalogStatus(models.TextChoices):
        NONE = "", "未纳入目录"
        LISTED = "listed", "已纳入省目录清单"
        REMOVED = "removed", "已移出目录清单"

    name = models.CharField("名称", max_length=100)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    kind = models.CharField("类型", max_length=30, choices=Kind.choices)
    county = models.ForeignKey("org.County", on_delete=models.PROTECT, related_name="institutions")
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="institutions",
        verbose_name="行业主管部门",
    )
    address = models.CharField("地址", max_length=200, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    # Any institution (an enterprise training centre, a school) may also be a filed evaluator.
    evaluator_kind = models.CharField(
        "评价机构类别", max_length=20, choices=EvaluatorKind.choices, blank=True
    )
    filing_status = models.CharField(
        "备案状态", max_length=10, choices=FilingStatus.choices, blank=True, default=""
    )
    filed_on = models.DateField("备案日期", null=True, blank=True)
    filing_number = models.CharField("备案编号", max_length=50, blank=True)
    catalog_status = models.CharField(
        "线上平台目录状态", max_length=10, choices=CatalogStatus.choices, blank=True, default=""
    )
    catalog_since = models.DateField("纳入目录日期", null=True, blank=True)

    access_scope: ClassVar[Scope] = Scope(
        city="county__city", county="county", department="department", institution="id"
    )

    class Meta:
        ordering = ["county__order", "name"]
        verbose_name = verbose_name_plural = "机构"

    def __str__(self) -> str:
        return self.name

    @property
    def is_school(self) -> bool:
        return self.kind in SCHOOL_KINDS

    @property
    def is_filed_evaluator(self) -> bool:
        return bool(self.evaluator_kind) and self.filing_status == self.FilingStatus.FILED


class InstitutionTransition(models.Model):
    """One filing or catalog decision fired (``registry.workflow``): who, from, to, why, when."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="transitions"
    )
    name = models.CharField(max_length=40)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    access_scope: ClassVar[Scope] = Scope(
        city="institution__county__city",
        county="institution__county",
        department="institution__department",
        institution="institution",
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "机构备案与目录决定"

    def __str__(self) -> str:
        return f"{self.institution_id}: {self.from_status or '—'} → {self.to_status}"

    @property
    def label(self) -> str:
        from ..workflow import TRANSITIONS

        return TRANSITIONS[self.name].label if self.name in TRANSITIONS else self.name


# Whose students count as "在校生" for §19 (no subsidised training in the student's major).
SCHOOL_KINDS: frozenset[str] = frozenset(
    {
        Institution.Kind.TECHNICAL_SCHOOL,
        Institution.Kind.VOCATIONAL_SCHOOL,
        Institution.Kind.UNIVERSITY,
    }
)

# Institutions that train: what 附件2 calls 培训机构, and the enterprises' own centres.
TRAINING_KINDS: tuple[str, ...] = (
    Institution.Kind.TECHNICAL_SCHOOL,
    Institution.Kind.VOCATIONAL_SCHOOL,
    Institution.Kind.PUBLIC_CENTRE,
    Institution.Kind.ENTERPRISE_CENTRE,
    Institution.Kind.PRIVATE_SCHOOL,
    Institution.Kind.UNIVERSITY,
)


def _institution_scope(prefix: str) -> Scope:
    return Scope(
        city=f"{prefix}__county__city",
        county=f"{prefix}__county",
        department=f"{prefix}__department",
        institution=prefix,
    )


class EvaluationScope(models.Model):
    """An occupation, and the levels in it, that a filed evaluation institution may assess."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="evaluation_scopes"
    )
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name="职业"
    )
    levels = models.JSONField("可评价等级", default=list)  # e.g. [5, 4, 3]

    access_scope: ClassVar[Scope] = _institution_scope("institution")

    class Meta:
        ordering = ["institution_id", "occupation__code"]
        verbose_name = verbose_name_plural = "评价职业范围"
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "occupation"], name="registry_evalscope_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} · {self.occupation}"


class CatalogEntry(models.Model):
    """目录清单: the institution may give subsidised training in the occupation from ``valid_from``
    (§21: an occupation added by a change counts from the change's date; a university not in
    the catalog is added on approval)."""

    class Source(models.TextChoices):
        ANNUAL = "annual", "年度目录清单"
        CHANGE = "change", "培训职业（工种）依法变更"
        UNIVERSITY = "university", "高校申请同意后纳入"

    year = models.PositiveSmallIntegerField("年度")
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="catalog_entries"
    )
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name="职业"
    )
    valid_from = models.DateField("起始日期")
    valid_until = models.DateField("截止日期", null=True, blank=True)  # inclusive
    source = models.CharField(
        "纳入方式", max_length=12, choices=Source.choices, default=Source.ANNUAL
    )
    note = models.CharField("备注", max_length=200, blank=True)

    access_scope: ClassVar[Scope] = _institution_scope("institution")

    class Meta:
        ordering = ["-year", "institution_id", "occupation__code"]
        verbose_name = verbose_name_plural = "目录清单"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "institution", "occupation"], name="registry_catalog_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.institution} · {self.occupation}"
