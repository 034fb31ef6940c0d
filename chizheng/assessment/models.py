"""Certificates: the minimal record progress is computed from (extended by the assessment issue).

``first_in_year`` and ``first_high_in_year`` are derived, never typed in: they mark the
person's first certificate of the calendar year (any level) and first level-3-or-above
certificate of the year. They are kept by ``services.certificate_flags_refresh`` so that the
plan dashboard counts new skilled and new high-skilled talents in one pass over the table
instead of an anti-join per person (see docs/plan.md, benchmarks/plan_dashboard.py).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from chizheng.accounts.scope import Scope
from chizheng.registry.models import CertificateType, SkillLevel, is_high_skilled


class Certificate(models.Model):
    # One list of certificate types and skill levels: the registry's.
    Kind = CertificateType
    Level = SkillLevel

    class Channel(models.TextChoices):
        ENTERPRISE = "enterprise", "企业"
        SCHOOL = "school", "院校"
        SOCIAL = "social", "社会培训评价"

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField("证书编号", max_length=60, blank=True)
    training_class = models.ForeignKey(
        "training.TrainingClass",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name="培训班",
    )
    occupation_code = models.CharField("职业（工种）代码", max_length=20)
    skill_level = models.PositiveSmallIntegerField(
        "技能等级", null=True, blank=True, choices=Level.choices
    )
    kind = models.CharField("证书类型", max_length=30, choices=Kind.choices)
    channel = models.CharField("评价渠道", max_length=20, choices=Channel.choices)
    issued_on = models.DateField("发证日期")
    county = models.ForeignKey("org.County", on_delete=models.PROTECT, related_name="certificates")
    issuing_institution = models.ForeignKey(
        "registry.Institution",
        on_delete=models.PROTECT,
        related_name="certificates_issued",
        verbose_name="发证机构",
    )
    first_in_year = models.BooleanField("本年首次取证", default=False, editable=False)
    first_high_in_year = models.BooleanField(
        "本年首次取得高技能证书", default=False, editable=False
    )

    access_scope: ClassVar[Scope] = Scope(
        city="county__city", county="county", institution="issuing_institution", person="person"
    )

    class Meta:
        ordering = ["issued_on", "id"]
        verbose_name = verbose_name_plural = "证书"
        indexes = [
            # Covering (PostgreSQL): the plan's live aggregate of a month is an index-only scan.
            models.Index(
                fields=["issued_on"],
                include=[
                    "county",
                    "channel",
                    "kind",
                    "skill_level",
                    "first_in_year",
                    "first_high_in_year",
                ],
                name="cert_issued_cover",
            ),
            models.Index(fields=["person", "issued_on"], name="cert_person_issued"),
            # §19's watch counts the year's special-ability and training-pass certificates
            # (a few among many) by county: an index-only scan of those alone.
            models.Index(fields=["kind", "issued_on"], include=["county"], name="cert_kind_issued"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(skill_level__isnull=True)
                | models.Q(skill_level__gte=1, skill_level__lte=5),
                name="cert_skill_level_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occupation_code} {self.issued_on}"

    @property
    def is_high_skilled(self) -> bool:
        """Level 3 (高级工) and above — levels count down, 1 is the highest."""
        return self.skill_level is not None and is_high_skilled(self.skill_level)
