"""A finding of the supervision scan: one irregularity a cross-check found in a city-year,
with the subjects it concerns (personal data masked), the rows and values compared, and a
score. A re-scan of the year replaces its open findings (keyed by ``key``), never doubling
them; a finding taken into a case (核查案件, ``Case``) is kept by later scans, marked when no
longer found, and one closed by a case is not reopened while its evidence is the same.

A case: opened from one or more findings of one county, assigned to an official of that
scope, investigated with notes and evidence files, concluded as cleared, recovery (the
subsidy's ``Recovery`` rows it ordered) or sanction (the registry's ``Sanction`` rows)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from chizheng.accounts.scope import Scope
from chizheng.rules.crosschecks import CHECKS


class Finding(models.Model):
    class Kind(models.TextChoices):
        PERSON_OVERLAP = "person_overlap", CHECKS["person_overlap"].title
        SIGN_IN_ABOVE_PRESENT = "sign_in_above_present", CHECKS["sign_in_above_present"].title
        SESSION_NOT_RECOGNISED = "session_not_recognised", CHECKS["session_not_recognised"].title
        SHARED_PHONE = "shared_phone", CHECKS["shared_phone"].title
        CERTIFICATE_BEFORE_END = "certificate_before_end", CHECKS["certificate_before_end"].title
        TEACHER_DOUBLE_BOOKED = "teacher_double_booked", CHECKS["teacher_double_booked"].title
        CERTIFICATES_WITHOUT_SESSION = (
            "certificates_without_session",
            CHECKS["certificates_without_session"].title,
        )
        SHARED_BANK_ACCOUNT = "shared_bank_account", CHECKS["shared_bank_account"].title
        SEVERAL_ID_FORMS = "several_id_forms", CHECKS["several_id_forms"].title
        IDENTICAL_ABSENCES = "identical_absences", CHECKS["identical_absences"].title
        ALL_PRESENT = "all_present", CHECKS["all_present"].title
        VOIDED_ONLINE_CLAIMED = "voided_online_claimed", CHECKS["voided_online_claimed"].title
        VOUCHER_NOT_REDEEMED = "voucher_not_redeemed", CHECKS["voucher_not_redeemed"].title
        SAME_PHOTO = "same_photo", CHECKS["same_photo"].title
        EVALUATOR_OUT_OF_SCOPE = "evaluator_out_of_scope", CHECKS["evaluator_out_of_scope"].title
        EVALUATOR_OVER_CAPACITY = (
            "evaluator_over_capacity",
            CHECKS["evaluator_over_capacity"].title,
        )
        WORKSTATIONS_OVERBOOKED = (
            "workstations_overbooked",
            CHECKS["workstations_overbooked"].title,
        )

    class State(models.TextChoices):
        OPEN = "open", "待核查"
        IN_CASE = "in_case", "核查中"
        CLEARED = "cleared", "已排除"
        CONFIRMED = "confirmed", "已查实"

    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类型", max_length=40, choices=Kind.choices)
    clause = models.CharField("依据条款", max_length=20)
    key = models.CharField(max_length=120, editable=False)
    summary = models.CharField("概要", max_length=300)
    subjects = models.JSONField("涉及对象", default=list)  # [{"kind", "id", "label"}], masked
    evidence = models.JSONField("证据", default=dict)  # {"columns", "rows", "compared"}
    classes = models.JSONField("涉及培训班", default=list)  # class ids, for the truth's match
    score = models.DecimalField("风险分值", max_digits=9, decimal_places=2)
    county = models.ForeignKey(
        "org.County", on_delete=models.PROTECT, related_name="+", verbose_name="县（市、区）"
    )
    institution = models.ForeignKey(
        "registry.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="培训机构",
    )
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.OPEN)
    found_at = models.DateTimeField("发现时间")
    # The digest of the evidence last stored (canonical JSON): a finding closed by a case is
    # reopened by a later scan only when its evidence differs.
    evidence_digest = models.CharField(max_length=64, blank=True, editable=False)
    # Set when a scan no longer found a finding kept for its case; cleared when found again.
    gone_at = models.DateTimeField("最近扫描未再发现", null=True, blank=True)

    # The offices over the city or its county; institutions and others see none (permission
    # ``supervision.view`` and no institution path here).
    access_scope: ClassVar[Scope] = Scope(city="county__city", county="county")

    class Meta:
        ordering = ["-score", "kind", "id"]
        verbose_name = verbose_name_plural = "核查线索"
        constraints = [
            models.UniqueConstraint(fields=["year", "key"], name="supervision_finding_once")
        ]
        indexes = [models.Index(fields=["year", "kind", "county"], name="finding_year_kind")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()} {self.summary[:40]}"

    @property
    def action(self) -> str:
        return CHECKS[self.kind].action

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.pk,
            "year": self.year,
            "kind": self.kind,
            "title": self.get_kind_display(),
            "clause": self.clause,
            "summary": self.summary,
            "subjects": self.subjects,
            "evidence": self.evidence,
            "score": str(self.score),
            "county": self.county.short_name,
            "institution": self.institution.name if self.institution else None,
            "action": self.action,
            "found_at": self.found_at.isoformat(),
        }


class Case(models.Model):
    """核查案件: the follow-up of one or more findings of one county, from opening to a
    conclusion (cleared, recovery or sanction). Its state changes only through
    ``case_flow.CASES``."""

    class State(models.TextChoices):
        OPENED = "opened", "已立案"
        INVESTIGATING = "investigating", "核查中"
        CLEARED = "cleared", "已办结：排除"
        RECOVERY = "recovery", "已办结：追缴"
        SANCTION = "sanction", "已办结：处理"

    CONCLUDED: ClassVar[frozenset[str]] = frozenset({"cleared", "recovery", "sanction"})

    number = models.CharField("案件编号", max_length=30, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("案由", max_length=200)
    county = models.ForeignKey(
        "org.County", on_delete=models.PROTECT, related_name="+", verbose_name="县（市、区）"
    )
    findings = models.ManyToManyField(Finding, related_name="cases", verbose_name="核查线索")
    state = models.CharField(
        "状态", max_length=20, choices=State.choices, default=State.OPENED, editable=False
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="承办人",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField("立案时间")
    concluded_at = models.DateTimeField("办结时间", null=True, blank=True)
    conclusion = models.TextField("核查结论", blank=True)
    # What a conclusion ordered, through the subsidy and registry services.
    recoveries = models.ManyToManyField("subsidy.Recovery", related_name="+", blank=True)
    recovered_lines = models.ManyToManyField("subsidy.ClaimLine", related_name="+", blank=True)
    sanctions = models.ManyToManyField("registry.Sanction", related_name="+", blank=True)

    access_scope: ClassVar[Scope] = Scope(city="county__city", county="county")

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = verbose_name_plural = "核查案件"
        indexes = [models.Index(fields=["county", "state"], name="case_county_state")]

    def __str__(self) -> str:
        return f"{self.number} {self.title[:40]}"

    @property
    def concluded(self) -> bool:
        return self.state in self.CONCLUDED


class CaseTransition(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    name = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    access_scope: ClassVar[Scope] = Scope(city="case__county__city", county="case__county")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.name}"


class CaseNote(models.Model):
    """A note of the investigation (核查记录), with the evidence file it carries, if any."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField("核查记录")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间")

    access_scope: ClassVar[Scope] = Scope(city="case__county__city", county="case__county")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.text[:30]}"


class CaseFile(models.Model):
    """An evidence file of a case (证据材料), kept in the database like the jobs' files (the web
    server and the worker need not share a disk, a backup holds it), with its digest."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="files")
    note = models.ForeignKey(
        CaseNote, null=True, blank=True, on_delete=models.SET_NULL, related_name="files"
    )
    filename = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("上传时间")

    access_scope: ClassVar[Scope] = Scope(city="case__county__city", county="case__county")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.filename


class EvaluatorCheck(models.Model):
    """评价机构专项检查 (§20(4)): every half-year every filed evaluation institution is checked
    once — planned for the half, then recorded with its checklist, what was found and how it
    is handled (``supervision.evaluator_check_handling``: a suspension or a blacklist goes
    through the registry's sanctions)."""

    class State(models.TextChoices):
        PLANNED = "planned", "待检查"
        DONE = "done", "已检查"

    evaluator = models.ForeignKey(
        "registry.Institution", on_delete=models.PROTECT, related_name="+", verbose_name="评价机构"
    )
    county = models.ForeignKey(
        "org.County", on_delete=models.PROTECT, related_name="+", verbose_name="县（市、区）"
    )
    year = models.PositiveSmallIntegerField("年度")
    half = models.PositiveSmallIntegerField("半年", choices=[(1, "上半年"), (2, "下半年")])
    due_on = models.DateField("检查期限")
    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.PLANNED, editable=False
    )
    held_on = models.DateField("检查日期", null=True, blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="检查人",
    )
    checklist = models.JSONField("检查项目", default=list, blank=True)  # [{item, ok, note}]
    findings = models.TextField("发现的问题", blank=True)
    handling = models.CharField("处理方式", max_length=20, blank=True)
    sanction = models.ForeignKey(
        "registry.Sanction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", null=True, blank=True)

    access_scope: ClassVar[Scope] = Scope(
        city="county__city", county="county", institution="evaluator"
    )

    class Meta:
        ordering = ["-year", "-half", "county__order", "evaluator_id"]
        verbose_name = verbose_name_plural = "评价机构专项检查"
        constraints = [
            models.UniqueConstraint(
                fields=["evaluator", "year", "half"], name="supervision_evaluatorcheck_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} {self.year}年{self.get_half_display()}"
