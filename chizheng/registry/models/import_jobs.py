"""Import jobs: an uploaded file, its report, what was written, and its status changes
(``import_flow.IMPORT_FLOW``).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from chizheng.accounts.scope import Scope
from chizheng.core.fields import EncryptedTextField
from chizheng.core.status_guard import GuardedStatus

from .institutions import Institution


class ImportJob(GuardedStatus):
    """An uploaded file: checked by a background job, written by another only when the
    user confirms. Its status changes only through ``import_flow.IMPORT_FLOW``."""

    class Kind(models.TextChoices):
        INSTITUTIONS = "institutions", "机构"
        TEACHERS = "teachers", "师资"
        PEOPLE = "people", "人员"
        ROSTER = "roster", "花名册"

    class Status(models.TextChoices):
        VALIDATING = "validating", "校验中"
        VALIDATED = "validated", "已校验，待确认"
        IMPORTING = "importing", "导入中"
        IMPORTED = "imported", "已导入"
        DISCARDED = "discarded", "已放弃"
        UNREADABLE = "unreadable", "文件无法读取"

    initial_status = Status.VALIDATING

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    filename = models.CharField("文件名", max_length=200)
    # While validating: the uploaded file, base64; once checked: the clean rows, JSON. Both
    # encrypted (they hold ID numbers); emptied once used.
    content = EncryptedTextField("文件内容（加密）", blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.VALIDATING
    )
    total_rows = models.PositiveIntegerField("数据行数", default=0)
    bad_rows = models.PositiveIntegerField("有误行数", default=0)
    errors = models.JSONField("错误明细", default=list)
    result = models.JSONField("导入结果", default=dict)
    good_rows_only = models.BooleanField("仅导入无误的行", default=False)
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    roster_title = models.CharField("花名册名称", max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The background jobs that check and write the file (their pages show the progress).
    validation_job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    commit_job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The access layer scopes by the uploader's own scope; selectors narrow to the uploader.
    access_scope: ClassVar[Scope] = Scope(
        city="created_by__city",
        county="created_by__county",
        department="created_by__department",
        institution="created_by__institution",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "导入任务"

    @property
    def current_job_id(self) -> int | None:
        if self.status == self.Status.IMPORTING:
            return self.commit_job_id
        if self.status == self.Status.VALIDATING:
            return self.validation_job_id
        return None

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.filename}"


class ImportJobTransition(models.Model):
    """One status change of an import (``core.workflow.rows_in``)."""

    import_job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="transitions")
    name = models.CharField(max_length=30)
    from_status = models.CharField(max_length=12)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.import_job_id}:{self.name}"
