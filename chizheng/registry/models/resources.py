"""An institution's resources for training (§20(1)): teachers and their certificates, sites,
and each site's workstations per occupation.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from chizheng.accounts.scope import Scope
from chizheng.core.fields import EncryptedTextField

from .choices import SkillLevel
from .institutions import Institution, _institution_scope
from .occupations import Occupation


class Teacher(models.Model):
    """A teacher of an institution; counted by the §20(1) teacher-ratio and apprentice rules."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="teachers")
    name = models.CharField("姓名", max_length=50)
    id_number = EncryptedTextField("身份证号码")
    id_index = models.CharField(max_length=64, editable=False)
    id_masked = models.CharField("身份证号码（脱敏）", max_length=18, editable=False)
    full_time = models.BooleanField("专职", default=True)
    occupations = models.ManyToManyField(
        Occupation, blank=True, related_name="+", verbose_name="任教职业"
    )
    active = models.BooleanField("在职", default=True)

    access_scope: ClassVar[Scope] = _institution_scope("institution")

    class Meta:
        ordering = ["institution_id", "name"]
        verbose_name = verbose_name_plural = "师资"
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "id_index"], name="registry_teacher_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_masked}）"


class TeacherCertificate(models.Model):
    class Kind(models.TextChoices):
        TEACHER_QUALIFICATION = "teacher_qualification", "教师资格证书"
        SKILL_LEVEL = "skill_level", "职业技能等级证书"
        VOCATIONAL_QUALIFICATION = "vocational_qualification", "职业资格证书"
        PROFESSIONAL_TITLE = "professional_title", "专业技术职务任职资格"
        OTHER = "other", "其他师资证书"

    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="certificates")
    kind = models.CharField("证书类型", max_length=30, choices=Kind.choices)
    number = models.CharField("证书编号", max_length=60)
    occupation = models.ForeignKey(
        Occupation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="职业",
    )
    level = models.PositiveSmallIntegerField(
        "等级", choices=SkillLevel.choices, null=True, blank=True
    )

    access_scope: ClassVar[Scope] = _institution_scope("teacher__institution")

    class Meta:
        ordering = ["teacher_id", "kind"]
        verbose_name = verbose_name_plural = "师资证书"
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "kind", "number"], name="registry_teachercert_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class Site(models.Model):
    """A training site (场地) of an institution."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField("场地名称", max_length=100)
    address = models.CharField("地址", max_length=200, blank=True)
    area_m2 = models.PositiveIntegerField("面积（平方米）", null=True, blank=True)

    access_scope: ClassVar[Scope] = _institution_scope("institution")

    class Meta:
        ordering = ["institution_id", "name"]
        verbose_name = verbose_name_plural = "场地"
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="registry_site_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Workstation(models.Model):
    """How many workstations (工位) a site has for one occupation (§20(1) workstation ratio)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="workstations")
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name="职业"
    )
    count = models.PositiveIntegerField("工位数")

    access_scope: ClassVar[Scope] = _institution_scope("site__institution")

    class Meta:
        ordering = ["site_id", "occupation__code"]
        verbose_name = verbose_name_plural = "工位"
        constraints = [
            models.UniqueConstraint(
                fields=["site", "occupation"], name="registry_workstation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} · {self.occupation.code} × {self.count}"
