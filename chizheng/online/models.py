"""The online area's records: platform codes, the courses classes take on platforms, the
credited online hours of their learners, and the platforms' void time per day."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from chizheng.accounts.scope import Scope


class PlatformCode(models.Model):
    """An online platform's code: what its events carry as ``platform`` and what its upload
    path names (``/api/v1/online/platforms/<code>/events``). The city office registers it;
    the platform's own users then upload with API tokens they issue (``accounts.ApiToken``).
    """

    institution = models.OneToOneField(
        "registry.Institution",
        on_delete=models.PROTECT,
        related_name="online_code",
        verbose_name="线上平台",
    )
    code = models.CharField("平台代码", max_length=32, unique=True)
    registered_at = models.DateTimeField("登记时间")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    access_scope: ClassVar[Scope] = Scope(
        city="institution__county__city",
        county="institution__county",
        department="institution__department",
        institution="institution",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "线上平台代码"

    def __str__(self) -> str:
        return self.code


def _class_scope(prefix: str) -> Scope:
    """Who sees a class's online records: as the class itself, and the platform it uses."""
    return Scope(
        city=f"{prefix}__institution__county__city",
        county=f"{prefix}__institution__county",
        department=f"{prefix}__department",
        institution=(f"{prefix}__institution", f"{prefix}__platform"),
    )


class OnlineCourse(models.Model):
    """A course of a platform that a class uses for its online theory (线上理论).

    The audit knows courses only by the platform's ``course`` key; this row binds that key
    to the class, so the valid time of the class's learners in it becomes their credited
    online class hours.
    """

    training_class = models.ForeignKey(
        "training.TrainingClass",
        on_delete=models.CASCADE,
        related_name="online_courses",
        verbose_name="培训班",
    )
    platform = models.ForeignKey(
        "registry.Institution",
        on_delete=models.PROTECT,
        related_name="online_courses",
        verbose_name="线上平台",
    )
    course_key = models.CharField("平台课程代码", max_length=64)
    bound_at = models.DateTimeField("绑定时间")
    bound_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    access_scope: ClassVar[Scope] = _class_scope("training_class")

    class Meta:
        ordering = ["training_class", "course_key"]
        verbose_name = verbose_name_plural = "线上课程"
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "course_key"], name="online_course_platform_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course_key}（{self.training_class_id}）"


class OnlineLearner(models.Model):
    """A trainee's online record on a class: the pseudonymous learner key the platform
    writes in its events, and the credited online class hours from the latest audit
    (§20(3): only valid time counts)."""

    enrolment = models.OneToOneField(
        "training.Enrolment",
        on_delete=models.CASCADE,
        related_name="online",
        verbose_name="学员",
    )
    learner_key = models.CharField("学员学习代码", max_length=64, db_index=True)
    valid_s = models.DecimalField("有效学习时长（秒）", max_digits=12, decimal_places=3, default=0)
    void_s = models.DecimalField("无效学习时长（秒）", max_digits=12, decimal_places=3, default=0)
    segments = models.PositiveIntegerField("学习段数", default=0)
    void_segments = models.PositiveIntegerField("无效学习段数", default=0)
    credited_hours = models.PositiveIntegerField("认定线上课时", default=0)
    audited_at = models.DateTimeField("依据审计结果时间", null=True, blank=True)

    access_scope: ClassVar[Scope] = Scope(
        city="enrolment__training_class__institution__county__city",
        county="enrolment__training_class__institution__county",
        department="enrolment__training_class__department",
        institution=(
            "enrolment__training_class__institution",
            "enrolment__training_class__platform",
        ),
        person="enrolment__person",
    )

    class Meta:
        ordering = ["enrolment"]
        verbose_name = verbose_name_plural = "线上学习认定"

    def __str__(self) -> str:
        return f"{self.enrolment_id}：{self.credited_hours}课时"


class PlatformVoidDay(models.Model):
    """One platform's audited study time on one day (China time, by segment start):
    valid and void seconds, and the void seconds each rule flagged (a segment with several
    rules counts under each) — the numbers behind the per-platform shares (§20(3))."""

    platform = models.ForeignKey(
        "registry.Institution",
        on_delete=models.CASCADE,
        related_name="online_void_days",
        verbose_name="线上平台",
    )
    day = models.DateField("日期")
    valid_s = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    void_s = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    face_s = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    ff_s = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    mw_s = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    photo_s = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    pop_s = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    seq_s = models.DecimalField(max_digits=14, decimal_places=3, default=0)

    access_scope: ClassVar[Scope] = Scope(
        city="platform__county__city",
        county="platform__county",
        institution="platform",
    )

    class Meta:
        ordering = ["platform", "day"]
        verbose_name = verbose_name_plural = "平台每日无效学习时长"
        constraints = [
            models.UniqueConstraint(fields=["platform", "day"], name="online_void_day_once")
        ]

    def __str__(self) -> str:
        return f"{self.platform_id} {self.day}"
