"""Sanctions on institutions (§19, §20(3)–(4)) and the days each is in force."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from chizheng.accounts.scope import Scope

from .institutions import Institution, _institution_scope


class Sanction(models.Model):
    """A sanction on an institution, in force from ``starts_on`` up to (not including)
    ``ends_on``; it expires on its own. A blacklisting may have no end until its dynamic exit
    (``lifted_on``)."""

    class Kind(models.TextChoices):
        SUSPENSION = "suspension", "停止开班整改"
        BLACKLIST = "blacklist", "黑名单"
        PLATFORM_BAN = "platform_ban", "平台禁止参与补贴培训"

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="sanctions")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    clause = models.CharField("依据条款", max_length=20)
    reason = models.TextField("事由")
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("到期日期（当日起失效）", null=True, blank=True)
    lifted_on = models.DateField("提前解除/退出日期", null=True, blank=True)
    lift_reason = models.TextField("解除/退出事由", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    access_scope: ClassVar[Scope] = _institution_scope("institution")

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = verbose_name_plural = "处理措施"
        indexes = [
            models.Index(fields=["institution", "starts_on"], name="registry_sanction_inst_start")
        ]

    def __str__(self) -> str:
        return f"{self.institution} · {self.get_kind_display()}（{self.starts_on}起）"

    def is_active(self, on: Any) -> bool:
        if on < self.starts_on:
            return False
        if self.ends_on is not None and on >= self.ends_on:
            return False
        return not (self.lifted_on is not None and on >= self.lifted_on)
