"""Audit log (append-only, keyed hash chain), the holiday calendar entered by the office and
its single-day overrides, and the counters of the public site's per-client limits."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from chizheng.accounts.scope import Scope


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise RuntimeError("the audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RuntimeError("the audit log is append-only")


class AuditEvent(models.Model):
    """One state change: who did what to which object, before and after, why, when.

    ``hash`` = SHA-256 over this row's fields and the previous row's hash, so altering or
    deleting any row breaks the chain (``chizheng audit verify``).
    """

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects: ClassVar[AppendOnlyQuerySet] = AppendOnlyQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("the audit log is append-only")


class AuditHead(models.Model):
    """The chain's last link; locked while an event is appended so links never fork."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"head #{self.seq}"


class HolidayYear(models.Model):
    """A year's holiday arrangement as the city office entered it from the State Council's
    notice, for a year the ``chinesecalendar`` package does not know. Deadlines count on it
    once it is ``known``: its completeness check passed (``chizheng.rules.holiday_schedule``)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "录入中"
        KNOWN = "known", "已启用"

    year = models.PositiveSmallIntegerField(unique=True)
    source = models.CharField("依据文件", max_length=200)
    notice_number = models.CharField("文号", max_length=100, blank=True)
    notice_date = models.DateField("发文日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Raised by every save: a form sent with an older revision is refused, not merged.
    revision = models.PositiveIntegerField(default=0)

    access_scope: ClassVar[Scope] = Scope(reference=True)

    class Meta:
        verbose_name = "节假日年度"
        verbose_name_plural = "节假日年度"

    def __str__(self) -> str:
        return str(self.year)


class HolidayBlock(models.Model):
    """One line of the notice: the holidays it covers, its run of days off, its adjusted
    workdays (调休上班, ISO dates)."""

    holiday_year = models.ForeignKey(HolidayYear, on_delete=models.CASCADE, related_name="blocks")
    position = models.PositiveSmallIntegerField()
    holidays = models.JSONField("节日")  # codes of the parameter calendar.holidays
    first_off = models.DateField("放假开始")
    last_off = models.DateField("放假结束")
    workdays = models.JSONField("调休上班", default=list)

    access_scope: ClassVar[Scope] = Scope(reference=True)

    class Meta:
        ordering = ["holiday_year", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["holiday_year", "position"], name="holiday_block_position_unique"
            )
        ]
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"

    def __str__(self) -> str:
        return (
            f"{self.holiday_year.year} {','.join(self.holidays)} {self.first_off}–{self.last_off}"
        )


class HolidayOverride(models.Model):
    day = models.DateField("日期", unique=True)
    workday = models.BooleanField("是否工作日")
    name = models.CharField("说明", max_length=100, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"

    def __str__(self) -> str:
        return f"{self.day} {'上班' if self.workday else '休息'} {self.name}"


class ClientHit(models.Model):
    """How many times one client (by address) used a limited public lookup in one window
    (``core.rate_limit``); windows older than the last are deleted as new ones open."""

    key = models.CharField(max_length=100)  # the lookup and the client's address
    window = models.BigIntegerField()  # seconds since the epoch // the window's length
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="core_clienthit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} @{self.window}: {self.count}"
