"""The user-facing record of a background job: what it is, who started it, where it stands.

The queue itself (what a worker picks up next) is django-tasks' table; a ``Job`` is what a
person sees on its page: its state, rows done of the total, its log, the file it produced
and its error in Chinese. ``idempotency_key`` is unique, so starting the same work twice
(a double click, two workers scheduling the same night) gives the one job.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from chizheng.accounts.scope import Scope


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "运行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"


FINAL_STATES = (JobState.SUCCEEDED, JobState.FAILED)


class Job(models.Model):
    kind = models.CharField("任务类型", max_length=40)
    state = models.CharField(
        "状态", max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    # The job's arguments (ids, filters, dates): never personal data.
    params = models.JSONField("参数", default=dict, blank=True)
    idempotency_key = models.CharField("幂等键", max_length=120, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="发起人",
    )
    # The city whose officials may see the job (the starter's; the deployment's for the
    # jobs the system schedules itself).
    city = models.ForeignKey(
        "org.City", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rows_done = models.PositiveBigIntegerField("已处理", default=0)
    rows_total = models.PositiveBigIntegerField("总数", null=True, blank=True)
    summary = models.JSONField("结果", default=dict, blank=True)
    message = models.CharField("结果说明", max_length=500, blank=True)
    error_code = models.CharField("错误代码", max_length=60, blank=True)
    error_message = models.CharField("错误信息", max_length=1000, blank=True)
    attempts = models.PositiveSmallIntegerField("已执行次数", default=0)
    max_attempts = models.PositiveSmallIntegerField("最多执行次数", default=3)
    worker_id = models.CharField("工作进程", max_length=64, blank=True)
    task_id = models.CharField("队列任务", max_length=64, blank=True)
    created_at = models.DateTimeField("创建时间")
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    # A user sees his own jobs (selectors narrow to the starter); city-wide officials see
    # the city's.
    access_scope: ClassVar[Scope] = Scope(
        city="city",
        county="created_by__county",
        department="created_by__department",
        institution="created_by__institution",
        person="created_by__person",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "后台任务"
        indexes = [
            models.Index(fields=["created_by", "-created_at"], name="jobs_job_starter"),
            models.Index(fields=["state", "worker_id"], name="jobs_job_state_worker"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def percent(self) -> int | None:
        if not self.rows_total:
            return 100 if self.state == JobState.SUCCEEDED else None
        return min(100, self.rows_done * 100 // self.rows_total)


class JobTransition(models.Model):
    """One state change of a job (``core.workflow.rows_in``)."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="transitions")
    name = models.CharField(max_length=30)
    from_status = models.CharField(max_length=10)
    to_status = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.name}"


class JobLogEntry(models.Model):
    class Level(models.TextChoices):
        INFO = "info", "信息"
        WARNING = "warning", "警告"
        ERROR = "error", "错误"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField()
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.INFO)
    message = models.CharField(max_length=1000)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.message


class JobFile(models.Model):
    """The file a job produced (an export, a report), kept in the database so that the web
    server and the worker need not share a disk and a backup holds it."""

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="file")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    data = models.BinaryField()

    def __str__(self) -> str:
        return self.filename


class WorkerBeat(models.Model):
    """A worker process's heartbeat: how the queue's health and dead workers are told."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=200, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return self.worker_id
