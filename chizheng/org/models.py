"""The city, its twelve county-level units (附件1) and the departments of the document."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from chizheng.accounts.scope import Scope


class City(models.Model):
    code = models.CharField("行政区划代码", max_length=6, unique=True)
    name = models.CharField("名称", max_length=50)

    access_scope: ClassVar[Scope] = Scope(city="id")

    class Meta:
        verbose_name = verbose_name_plural = "市"

    def __str__(self) -> str:
        return self.name


class County(models.Model):
    """A county-level unit of 附件1: county, county-level city, district or functional zone."""

    class Kind(models.TextChoices):
        COUNTY_CITY = "county_city", "县级市"
        COUNTY = "county", "县"
        DISTRICT = "district", "市辖区"
        ZONE = "zone", "功能区"

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="counties")
    code = models.CharField("区划代码", max_length=6, unique=True)
    code_is_gb2260 = models.BooleanField("代码属于GB/T 2260", default=True)
    name = models.CharField("名称", max_length=50)
    short_name = models.CharField("简称（附件1）", max_length=20)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField("附件1序号", unique=True)

    access_scope: ClassVar[Scope] = Scope(city="city_id", county="id")

    class Meta:
        ordering = ["order"]
        verbose_name = verbose_name_plural = "县（市、区）"

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A city department named as a responsible unit in the document (市工信局 …)."""

    class Kind(models.TextChoices):
        HR = "hr", "人力资源社会保障"
        FINANCE = "finance", "财政"
        INDUSTRY = "industry", "行业主管部门"
        OTHER = "other", "其他成员单位"

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="departments")
    code = models.CharField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60, unique=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)

    access_scope: ClassVar[Scope] = Scope(city="city_id", department="id")

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "部门"

    def __str__(self) -> str:
        return self.name
