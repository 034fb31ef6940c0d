"""Who applies for a subsidy (附件2: 企业或培训机构或个人向行业主管部门申请) and what an individual's
claim records besides a class's: the person himself, the certificate he applies for, the
institution that trained him, his bank and account (附件2's header; 备注2: 个人申请的，仅填写
此表涉及个人及培训机构、评价机构等基本信息). ``Claim`` inherits the fields (ADR 0006).
"""

from __future__ import annotations

from django.db import models

from chizheng.core.fields import EncryptedTextField


class ApplicantKind(models.TextChoices):
    INSTITUTION = "institution", "培训机构（或企业）"
    INDIVIDUAL = "individual", "个人"


class IndividualApplicant(models.Model):
    """The applicant's side of a claim. An institution's claim leaves the individual fields
    empty; an individual's has ``person``, ``certificate``, ``trained_by`` (the class's
    institution, or the one he trained with outside the system) and his bank. The account
    number is encrypted at rest; every screen, export, print and log shows the mask."""

    applicant_kind = models.CharField(
        "申请人类别",
        max_length=12,
        choices=ApplicantKind.choices,
        default=ApplicantKind.INSTITUTION,
    )
    person = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="申请人（个人）",
    )
    certificate = models.ForeignKey(
        "assessment.Certificate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="申请补贴的证书",
    )
    trained_by = models.ForeignKey(
        "registry.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="培训机构",
    )
    bank_name = models.CharField("开户银行名称", max_length=100, blank=True)
    bank_account = EncryptedTextField("银行帐号", blank=True)
    bank_account_masked = models.CharField("银行帐号（脱敏）", max_length=40, blank=True)
    # The account's blind index: the supervision scan compares accounts by it, never decrypting.
    bank_account_index = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_individual(self) -> bool:
        return self.applicant_kind == ApplicantKind.INDIVIDUAL


# The shape of each kind, as a database constraint of ``Claim``.
SHAPE = models.Q(
    applicant_kind=ApplicantKind.INSTITUTION,
    training_class__isnull=False,
    institution__isnull=False,
    person__isnull=True,
) | models.Q(
    applicant_kind=ApplicantKind.INDIVIDUAL,
    institution__isnull=True,
    person__isnull=False,
    certificate__isnull=False,
    trained_by__isnull=False,
)
