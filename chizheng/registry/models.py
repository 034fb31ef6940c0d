"""Registries: institutions and real-name people (extended by the registries issue)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from chizheng.accounts.scope import Scope
from chizheng.core import ids
from chizheng.core.fields import EncryptedTextField


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

    access_scope: ClassVar[Scope] = Scope(
        city="county__city", county="county", department="department", institution="id"
    )

    class Meta:
        ordering = ["county__order", "name"]
        verbose_name = verbose_name_plural = "机构"

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A real-name person. The ID number and phone are encrypted; look-ups use the indexes."""

    name = models.CharField("姓名", max_length=50)
    id_number = EncryptedTextField("身份证号码")
    id_index = models.CharField(max_length=64, unique=True, editable=False)
    id_masked = models.CharField("身份证号码（脱敏）", max_length=18, editable=False)
    phone = EncryptedTextField("手机号码", blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField("手机号码（脱敏）", max_length=11, blank=True, editable=False)
    birth_date = models.DateField("出生日期")
    county = models.ForeignKey("org.County", on_delete=models.PROTECT, related_name="people")

    access_scope: ClassVar[Scope] = Scope(city="county__city", county="county", person="id")

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "人员"

    def __str__(self) -> str:
        return f"{self.name}（{self.id_masked}）"

    def masked(self) -> str:
        return self.id_masked or ids.mask(self.id_number)
