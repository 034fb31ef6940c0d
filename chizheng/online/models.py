"""Platform API tokens: one per online platform, stored only as a hash."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from chizheng.accounts.scope import Scope


class PlatformToken(models.Model):
    """The credential a platform's servers push events with.

    ``code`` is the platform code written in every event (``platform``); the token itself
    is shown once when issued and kept here as its SHA-256 (it is 256 random bits, so a
    fast hash is enough); issuing a new one replaces the old.
    """

    institution = models.OneToOneField(
        "registry.Institution",
        on_delete=models.PROTECT,
        related_name="online_token",
        verbose_name="线上平台",
    )
    code = models.CharField("平台代码", max_length=32, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    token_prefix = models.CharField("令牌前缀", max_length=16)
    issued_at = models.DateTimeField("签发时间")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked = models.BooleanField("已停用", default=False)

    access_scope: ClassVar[Scope] = Scope(
        city="institution__county__city",
        county="institution__county",
        department="institution__department",
        institution="institution",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "平台接口令牌"

    def __str__(self) -> str:
        return f"{self.code}（{self.token_prefix}…）"
