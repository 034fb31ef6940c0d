"""The class lifecycle: the form of 附件2 as records.

A ``TrainingClass`` is one class application (开班申请) and the class it becomes. Its status
changes only through ``workflow.fire`` (declared transitions, each writing a
``ClassTransition`` row and an audit event). Reviews, sessions, attendance, recordings,
inspections, makeups, the satisfaction survey and the final assessment hang off it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from chizheng.accounts.scope import Scope
from chizheng.core.review.models import ReviewStep, Versioned

_CLASS_SCOPE: dict[str, str | tuple[str, ...]] = dict(
    city="institution__county__city",
    county="institution__county",
    department="department",
    # the institution that runs the class, and the evaluation institution that assesses it
    institution=("institution", "assessment__evaluator"),
    person="enrolments__person",  # a trainee sees the classes he is on
)


def _via(prefix: str) -> Scope:
    def under(path: str | tuple[str, ...]) -> str | tuple[str, ...]:
        return (
            f"{prefix}__{path}" if isinstance(path, str) else tuple(f"{prefix}__{p}" for p in path)
        )

    return Scope(
        city=under(_CLASS_SCOPE["city"]),
        county=under(_CLASS_SCOPE["county"]),
        department=under(_CLASS_SCOPE["department"]),
        institution=under(_CLASS_SCOPE["institution"]),
        person=under(_CLASS_SCOPE["person"]),
    )


class Mode(models.TextChoices):
    ENTERPRISE_SELF = "enterprise_self", "企业自主培训"
    COMMISSIONED = "commissioned", "委托培训"
    BLENDED = "blended", "线上+线下"
    ONLINE = "online", "纯线上"
    APPRENTICESHIP = "apprenticeship", "企业新型学徒制"


class AppliedBy(models.TextChoices):
    """Who applied for the final assessment (§20(4): a pure-online class is assessed only on
    the application of an enterprise or of the worker himself)."""

    INSTITUTION = "institution", "培训机构"
    ENTERPRISE = "enterprise", "企业"
    INDIVIDUAL = "individual", "劳动者个人"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待行业主管部门初审"
    INDUSTRY_FIRST = "industry_first", "待行业主管部门复核"
    HR_REVIEW = "hr_review", "待人社部门初审"
    HR_FIRST = "hr_first", "待人社部门复核"
    APPROVED = "approved", "已批准开班"
    IN_TRAINING = "in_training", "培训中"
    ASSESSMENT_REGISTERED = "assessment_registered", "已登记结业考核"
    ASSESSED = "assessed", "已考核"
    RETURNED = "returned", "退回修改"
    REJECTED = "rejected", "不予批准"
    WITHDRAWN = "withdrawn", "已撤回"


class TrainingClass(Versioned):
    # 附件2 header: applicant, contact, bank
    institution = models.ForeignKey(
        "registry.Institution",
        on_delete=models.PROTECT,
        related_name="classes",
        verbose_name="培训机构（或企业）",
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        related_name="classes",
        verbose_name="行业主管部门",
    )
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=20)
    bank_name = models.CharField("开户银行名称", max_length=100, blank=True)
    bank_account = models.CharField("银行帐号", max_length=40, blank=True)
    # 开班申请
    batch = models.CharField("开班批次", max_length=40)
    start_date = models.DateField("开班时间")
    end_date = models.DateField("结束时间")
    programme = models.ForeignKey(
        "plan.Programme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="classes",
        verbose_name="专项",
    )
    occupation_code = models.CharField("培训工种代码", max_length=20)
    occupation_name = models.CharField("培训工种", max_length=100)
    skill_level = models.PositiveSmallIntegerField("级别", null=True, blank=True)
    certificate_type = models.CharField("考核证书类型", max_length=30)
    planned_count = models.PositiveIntegerField("拟培训人数")
    class_hours = models.PositiveIntegerField("总课时")
    practical_hours = models.PositiveIntegerField("实操课时")
    online_theory_hours = models.PositiveIntegerField("线上理论课时", default=0)
    class_hour_minutes = models.PositiveSmallIntegerField("每课时分钟数")
    platform = models.ForeignKey(
        "registry.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="online_classes",
        verbose_name="线上平台",
    )
    mode = models.CharField("培训方式", max_length=20, choices=Mode.choices)
    teachers = models.ManyToManyField(
        "registry.Teacher", blank=True, related_name="classes", verbose_name="师资"
    )
    sites = models.ManyToManyField(
        "registry.Site", blank=True, related_name="classes", verbose_name="场地"
    )
    remote_video = models.BooleanField("已接入远程视频监管", default=False)
    plan_in_system = models.BooleanField("培训计划已在系统填报", default=True)
    roster_in_system = models.BooleanField("人员名册已在系统填报", default=True)
    # Workflow
    status = models.CharField("状态", max_length=30, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The rule decisions shown at submission (stored with the policy fingerprint).
    decisions = models.JSONField("合规检查结果", default=list, blank=True)
    policy_fingerprint = models.CharField(max_length=16, blank=True)
    # Derived: the roster's size, kept by the roster service (the one writer of enrolments),
    # so that counts per programme read the classes, not a year of enrolments.
    roster_size = models.PositiveIntegerField("名册人数", default=0, editable=False)
    # 过程监管 / 结业考核 (filled by the workflow)
    survey_closed_on = models.DateField("满意度调查汇总日期", null=True, blank=True)
    trained = models.PositiveIntegerField("培训人数（§21）", null=True, blank=True)
    average_present = models.DecimalField(
        "平均出勤人数", max_digits=7, decimal_places=2, null=True, blank=True
    )

    access_scope: ClassVar[Scope] = Scope(
        city=_CLASS_SCOPE["city"],
        county=_CLASS_SCOPE["county"],
        department=_CLASS_SCOPE["department"],
        institution=_CLASS_SCOPE["institution"],
        person=_CLASS_SCOPE["person"],
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = verbose_name_plural = "培训班"
        indexes = [
            models.Index(fields=["status", "department"], name="class_status_dept"),
            models.Index(fields=["status", "institution"], name="class_status_inst"),
        ]

    def __str__(self) -> str:
        return f"{self.batch} {self.occupation_name}"


class PureOnlineOccupation(models.Model):
    """An occupation the office allows for pure-online classes (§20(3): 严格控制纯线上培训职业（工种）数量)."""

    occupation = models.ForeignKey(
        "registry.Occupation", on_delete=models.PROTECT, related_name="+", verbose_name="职业"
    )
    valid_from = models.DateField("起始日期")
    valid_until = models.DateField("截止日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("依据", max_length=200)

    access_scope: ClassVar[Scope] = Scope(reference=True)

    class Meta:
        ordering = ["occupation__code", "valid_from"]
        verbose_name = verbose_name_plural = "纯线上培训职业"

    def __str__(self) -> str:
        return f"{self.occupation} {self.valid_from}起"

    def covers(self, day: Any) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class ClassTransition(models.Model):
    """One declared transition fired: who, from, to, why, when."""

    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="transitions"
    )
    name = models.CharField(max_length=40)
    from_status = models.CharField(max_length=30)
    to_status = models.CharField(max_length=30)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    access_scope: ClassVar[Scope] = _via("training_class")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.training_class_id}: {self.from_status} → {self.to_status}"

    @property
    def label(self) -> str:
        from .workflow import TRANSITIONS

        return TRANSITIONS[self.name].label if self.name in TRANSITIONS else self.name

    @property
    def from_label(self) -> str:
        return str(Status(self.from_status).label)

    @property
    def to_label(self) -> str:
        return str(Status(self.to_status).label)


class Review(ReviewStep):
    """One review step of a class application: industry or HR, first (初审) or second (复核)."""

    class Level(models.TextChoices):
        INDUSTRY = "industry", "行业主管部门"
        HR = "hr", "人力资源社会保障部门"

    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="reviews"
    )
    level = models.CharField("审核层级", max_length=10, choices=Level.choices)

    access_scope: ClassVar[Scope] = _via("training_class")

    class Meta:
        ordering = ["accepted_on", "id"]
        indexes = [models.Index(fields=["level", "done_on", "due_on"], name="review_queue_idx")]


class Enrolment(models.Model):
    """One person on a class roster (人员名册)."""

    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="enrolments"
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="enrolments"
    )
    # 企业新型学徒制: the apprentice's labour contract
    contract_start = models.DateField("劳动合同起始", null=True, blank=True)
    contract_end = models.DateField("劳动合同终止", null=True, blank=True)

    access_scope: ClassVar[Scope] = Scope(
        city="training_class__institution__county__city",
        county="training_class__institution__county",
        department="training_class__department",
        institution="training_class__institution",
        person="person",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["training_class", "person"], name="enrolment_once")
        ]

    def __str__(self) -> str:
        return f"{self.training_class_id}/{self.person_id}"


class Session(models.Model):
    """One scheduled session (当班) of class hours."""

    class Kind(models.TextChoices):
        THEORY = "theory", "理论"
        PRACTICAL = "practical", "实操"
        ONLINE = "online", "线上理论"

    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="sessions"
    )
    held_on = models.DateField("日期")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    class_hours = models.PositiveSmallIntegerField("课时数")
    minutes = models.PositiveIntegerField("时长（分钟）")
    # Recording evidence (录像)
    recorded_minutes = models.PositiveIntegerField("录像总时长（分钟）", default=0)
    longest_continuous = models.JSONField("每课时最长连续录像（分钟）", default=list, blank=True)
    shows_all_trainees = models.BooleanField("录像显示全体学员", default=True)

    access_scope: ClassVar[Scope] = _via("training_class")

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()}"


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField("签到")

    access_scope: ClassVar[Scope] = _via("session__training_class")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.enrolment_id}"


class Makeup(models.Model):
    """补课: approved by the local HR bureau, done before the final assessment (§21)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="makeups")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="makeups")
    completed_on = models.DateField("补课日期")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField("批准日期", null=True, blank=True)

    access_scope: ClassVar[Scope] = _via("session__training_class")

    def __str__(self) -> str:
        return f"补课 {self.enrolment_id}/{self.session_id}"


class Inspection(models.Model):
    """实地检查: on the opening day or during training (附件2 过程监管)."""

    class Kind(models.TextChoices):
        OPENING = "opening", "开班当日检查"
        DURING = "during", "培训期间检查"

    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="inspections"
    )
    kind = models.CharField("检查类型", max_length=10, choices=Kind.choices)
    held_on = models.DateField("时间")
    place = models.CharField("地点", max_length=200)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    present = models.PositiveIntegerField("在位学员人数")
    signed_in = models.PositiveIntegerField("签到人数")
    teachers_present = models.PositiveIntegerField("在岗教师人数")
    materials_kept = models.BooleanField("培训资料留存", default=True)
    notes = models.TextField("情况说明", blank=True)

    access_scope: ClassVar[Scope] = _via("training_class")

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class Opinion(models.Model):
    """A box of 附件2 that is an office's signed word on a stage of the class: the HR bureau's
    opinion on the supervision (过程监管), an inspector's patrol of the final assessment
    (考核巡查人员签字) and the HR bureau's opinion on its results (结业考核). Rows are never
    changed: a later opinion of the same kind replaces the earlier on the form (which stays
    in the history); each patroller signs once."""

    class Kind(models.TextChoices):
        SUPERVISION = "supervision", "人力资源社会保障部门检查意见"
        PATROL = "patrol", "考核巡查"
        RESULTS = "results", "人力资源社会保障部门意见（考核结果）"

    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="opinions"
    )
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    text = models.TextField("意见", max_length=500)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    given_on = models.DateField("日期")
    at = models.DateTimeField()

    access_scope: ClassVar[Scope] = _via("training_class")

    class Meta:
        ordering = ["given_on", "id"]
        verbose_name = verbose_name_plural = "检查意见及考核巡查"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.given_on}"


class SurveyResponse(models.Model):
    """满意度调查: one answer per enrolled trainee."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="survey")
    satisfied = models.BooleanField("满意")
    comment = models.TextField("意见建议", blank=True)
    answered_at = models.DateTimeField()

    access_scope: ClassVar[Scope] = Scope(
        city="enrolment__training_class__institution__county__city",
        county="enrolment__training_class__institution__county",
        institution="enrolment__training_class__institution",
        person="enrolment__person",
    )

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {'满意' if self.satisfied else '不满意'}"


class FinalAssessment(models.Model):
    """结业考核: registered ≥ N days before it is held (附件2), then its results."""

    training_class = models.OneToOneField(
        TrainingClass, on_delete=models.CASCADE, related_name="assessment"
    )
    evaluator = models.ForeignKey(
        "registry.Institution",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name="评价机构",
    )
    registered_on = models.DateField("登记日期")
    held_on = models.DateField("考核日期")
    applied_by = models.CharField("申请考核方", max_length=20, default="institution")
    results_entered_on = models.DateField(null=True, blank=True)
    # §19 watch at registration: the certificate-mix decisions of the institution, its county
    # and the city, the class's roster projected (a warning for reviewers, not a refusal).
    certificate_mix = models.JSONField("证书结构监测（§19）", default=list, blank=True)

    access_scope: ClassVar[Scope] = Scope(
        city="training_class__institution__county__city",
        county="training_class__institution__county",
        department="training_class__department",
        institution="training_class__institution",
    )

    def __str__(self) -> str:
        return f"考核 {self.training_class_id} {self.held_on}"


class AssessmentCount(models.Model):
    """参加考核人数 / 取证人数 per assessment type (附件2 结业考核)."""

    assessment = models.ForeignKey(FinalAssessment, on_delete=models.CASCADE, related_name="counts")
    certificate_type = models.CharField(max_length=30)
    taking = models.PositiveIntegerField("参加人数")
    certified = models.PositiveIntegerField("取证人数")

    access_scope: ClassVar[Scope] = _via("assessment__training_class")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "certificate_type"], name="assessment_count_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate_type}: {self.certified}/{self.taking}"


# Kept in a module of its own (the evidence photos), registered with the app from here.
from .stills import Still  # noqa: E402, F401


class ClassTag(models.Model):
    """A training project of §1/§8/§9/§10 the class is (``class.programme_tags``)."""

    training_class = models.ForeignKey(TrainingClass, models.CASCADE, related_name="tag_rows")
    code = models.CharField("培训项目", max_length=40)

    access_scope: ClassVar[Scope] = _via("training_class")

    class Meta:
        ordering = ["training_class_id", "code"]
        verbose_name = verbose_name_plural = "培训项目标签"
        unique_together = [("training_class", "code")]

    def __str__(self) -> str:
        return self.code
