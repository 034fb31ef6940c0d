"""The occupational classification (2022): its groups and occupations, each with its parent."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from chizheng.accounts.scope import Scope


class Occupation(models.Model):
    """A group or occupation of the 2022 classification (data/occupations-2022.csv)."""

    class Level(models.TextChoices):
        MAJOR = "major", "大类"
        MEDIUM = "medium", "中类"
        MINOR = "minor", "小类"
        OCCUPATION = "occupation", "职业（细类）"

    code = models.CharField("编码", max_length=10, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级",
    )
    # A code dropped by a later edition stays (records refer to it) but is no longer valid.
    active = models.BooleanField("现行有效", default=True)

    access_scope: ClassVar[Scope] = Scope(reference=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "职业"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
