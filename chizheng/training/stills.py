"""Evidence photographs (证据照片) of the class lifecycle: the model, kept apart from
``models`` (which imports it, registering it with the app) for its size."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from chizheng.accounts.scope import Scope

from .models import _via


class Still(models.Model):
    """A photograph kept as evidence (证据照片): a still of a session's sign-in or recording, or
    one an inspector took at an inspection — stored with its SHA-256 and its perceptual hash
    (pHash, 64 bits as 16 hex digits), so that the supervision scan finds one photo shown for
    several sessions or classes however it was re-encoded or resized."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", "签到照片"
        RECORDING = "recording", "录像截图"
        INSPECTION = "inspection", "检查照片"
        SELFIE = "selfie", "扫码签到自拍"

    training_class = models.ForeignKey(
        "TrainingClass", on_delete=models.CASCADE, related_name="stills"
    )
    session = models.ForeignKey(
        "Session", null=True, blank=True, on_delete=models.CASCADE, related_name="stills"
    )
    inspection = models.ForeignKey(
        "Inspection", null=True, blank=True, on_delete=models.CASCADE, related_name="stills"
    )
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    taken_on = models.DateField("拍摄日期")
    content_type = models.CharField(max_length=30)
    size = models.PositiveIntegerField("大小（字节）")
    data = models.BinaryField()
    sha256 = models.CharField(max_length=64, db_index=True, editable=False)
    phash = models.CharField("感知哈希", max_length=16, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    access_scope: ClassVar[Scope] = _via("training_class")

    class Meta:
        ordering = ["taken_on", "id"]
        verbose_name = verbose_name_plural = "证据照片"
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(session__isnull=False) & models.Q(inspection__isnull=False)),
                name="training_still_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.taken_on}"
