"""The truth beside the simulated year: each irregularity the simulation planted on purpose,
where it is and what should find it, so that the checks (the rules now, the supervision scan
later) can be measured against what is known to be there."""

from __future__ import annotations

from django.db import models


class Planted(models.Model):
    class Kind(models.TextChoices):
        SIGN_IN_EXCEEDS_PRESENT = "sign_in_exceeds_present", "检查时签到人数多于在位人数"
        RECORDING_TOO_SHORT = "recording_too_short", "实操课时连续录像不足"
        SHARED_PHONE = "shared_phone", "多名学员登记同一手机号码"
        PERSON_OVERLAP = "person_overlap", "同一人员同时参加培训期重叠的两个班（交叉提交）"
        TEACHER_DOUBLE_BOOKED = "teacher_double_booked", "同一教师同期在两个机构的班任教"
        CERTIFICATE_BEFORE_END = "certificate_before_end", "发证日期早于培训结束"
        IDENTICAL_ABSENCES = "identical_absences", "同班多名学员同缺同样的课次"
        ALL_PRESENT = "all_present", "全班每次课全员签到（课次多到全勤不可信）"
        SEVERAL_ID_FORMS = "several_id_forms", "同一人员以15位、18位两种身份证号码登记"
        SHARED_BANK_ACCOUNT = "shared_bank_account", "三个机构的开班申请填报同一银行帐号"
        SAME_PHOTO = "same_photo", "另一机构的签到照片用于本班课次"
        EVALUATOR_OUT_OF_SCOPE = "evaluator_out_of_scope", "评价机构为未备案的等级发证"
        WORKSTATIONS_OVERBOOKED = "workstations_overbooked", "培训班所用场地无此职业工位"
        CERTIFICATES_WITHOUT_SESSION = "certificates_without_session", "已发证的班没有认可的课次"
        EVALUATOR_OVER_CAPACITY = "evaluator_over_capacity", "评价机构一天发证超过评价能力"
        VOIDED_ONLINE_CLAIMED = "voided_online_claimed", "补贴计入了审计作废的线上课时"
        VOUCHER_NOT_REDEEMED = "voucher_not_redeemed", "补贴已拨付而绑定本班的培训券未兑付"

    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类型", max_length=40, choices=Kind.choices)
    clause = models.CharField("依据条款", max_length=20)
    training_class = models.ForeignKey(
        "training.TrainingClass", on_delete=models.CASCADE, related_name="+"
    )
    subjects = models.JSONField("涉及对象", default=list)  # [{"kind": …, "id": …, "label": …}]
    planted_on = models.DateField("发生日期")
    found_by = models.CharField("应由何处发现", max_length=200)

    class Meta:
        ordering = ["year", "kind", "id"]
        verbose_name = verbose_name_plural = "模拟植入的异常（真值）"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "kind", "training_class"], name="simulate_planted_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()} {self.training_class_id}"

    def as_dict(self) -> dict[str, object]:
        return {
            "year": self.year,
            "kind": self.kind,
            "clause": self.clause,
            "class": self.training_class.batch,
            "subjects": self.subjects,
            "planted_on": self.planted_on.isoformat(),
            "found_by": self.found_by,
        }
