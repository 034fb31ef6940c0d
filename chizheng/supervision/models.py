"""A finding of the supervision scan: one irregularity a cross-check found in a city-year,
with the subjects it concerns (personal data masked), the rows and values compared, and a
score. A re-scan of the year replaces its open findings (keyed by ``key``), never doubling
them; the cases that take a finding further (核查) are later work of issue 15."""

from __future__ import annotations

from typing import ClassVar

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
