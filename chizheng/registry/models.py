"""Registries (§12–18, §20(1), §20(3)–(4)): occupations, institutions and their catalog,
evaluation scopes, teachers, sites and workstations, real-name people, sanctions, rosters,
and the import jobs that fill them.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from chizheng.accounts.scope import Scope
from chizheng.core import ids
from chizheng.core.fields import EncryptedTextField
from chizheng.core.status_guard import GuardedStatus


class SkillLevel(models.IntegerChoices):
    """职业技能等级: 5 is the lowest. Level 3 and above is 高技能 (see ``is_high_skilled``)."""

    LEVEL_5 = 5, "五级/初级工"
    LEVEL_4 = 4, "四级/中级工"
    LEVEL_3 = 3, "三级/高级工"
    LEVEL_2 = 2, "二级/技师"
    LEVEL_1 = 1, "一级/高级技师"


# 高技能人才 (high-skilled talent): 三级/高级工 and above — 高级工 (3), 技师 (2), 高级技师 (1);
# levels count down. A definition of the glossary, not a policy value.
HIGH_SKILLED_LEVEL = SkillLevel.LEVEL_3


def is_high_skilled(level: int) -> bool:
    return level <= HIGH_SKILLED_LEVEL


def skill_level_title(level: int | None) -> str:
    """The level's title alone (高级工 for 3), or — when there is none."""
    if level is None or level not in SkillLevel.values:
        return "—"
    return str(SkillLevel(level).label).split("/")[-1]


class CertificateType(models.TextChoices):
    VOCATIONAL_QUALIFICATION = "vocational_qualification", "职业资格证书"
    SKILL_LEVEL = "skill_level", "职业技能等级证书"
    SPECIAL_OPERATION = "special_operation", "特种作业操作证"
    SPECIAL_ABILITY = "special_ability", "专项职业能力证书"
    TRAINING_PASS = "training_pass", "培训合格证书"


class KeyGroup(models.TextChoices):
    """重点群体 of §10, in the document's order."""

    GRADUATE = "graduate", "高校毕业生"
    MIGRANT_WORKER = "migrant_worker", "农民工"
    OUT_OF_POVERTY = "out_of_poverty", "脱贫人口"
    SCHOOL_LEAVER = "school_leaver", "城乡未继续升学的应届初高中毕业生"
    EPIDEMIC_WORKER = "epidemic_worker", "卫生防疫人员"
    UNEMPLOYED = "unemployed", "失业人员"
    VETERAN = "veteran", "退役军人"
    DISABLED = "disabled", "残疾人"
    DOUBLE_REDUCTION = "double_reduction", "“双减”分流人员"
    PRISONER = "prisoner", "服刑人员"
    COMPULSORY_REHAB = "compulsory_rehab", "强制隔离戒毒人员"
    COMMUNITY_CORRECTION = "community_correction", "社区矫正对象"


class Occupation(models.Model):
    """A group or occupation of the 2022 classification (data/occupations-2022.csv)."""

    class Level(models.TextChoices):
        MAJOR = "major", "大类"
        MEDIUM = "medium", "中类"
        MINOR = "minor", "小类"
        OCCUPATION = "occupation", "职业（细类）"

    code = models.CharField("编码", max_length=10, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级",
    )
    # A code dropped by a later edition stays (records refer to it) but is no longer valid.
    active = models.BooleanField("现行有效", default=True)

    access_scope: ClassVar[Scope] = Scope(reference=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "职业"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Institution(models.Model):
    class Kind(models.TextChoices):
        ENTERPRISE_CENTRE = "enterprise_centre", "企业培训中心"
        TECHNICAL_SCHOOL = "technical_school", "技工院校"
        VOCATIONAL_SCHOOL = "vocational_school", "职业院校"
        PRIVATE_SCHOOL = "private_school", "民办职业培训学校"
        PUBLIC_CENTRE = "public_centre", "公共就业训练中心"
        UNIVERSITY = "university", "高等院校"
        EVALUATOR = "evaluator", "评价机构"
        PLATFORM = "platform", "线上平台"
        EMPLOYER = "employer", "用人单位"

    class EvaluatorKind(models.TextChoices):
        EMPLOYER = "employer", "用人单位（企业）评价机构"
        SCHOOL = "school", "院校评价机构"
        SOCIAL = "social", "社会培训评价组织"
        SPECIAL_ABILITY = "special_ability", "专项职业能力考核机构"

    class FilingStatus(models.TextChoices):
        NONE = "", "未备案"
        FILED = "filed", "已备案"
        REVOKED = "revoked", "已撤销备案"

    class CatalogStatus(models.TextChoices):
        NONE = "", "未纳入目录"
        LISTED = "listed", "已纳入省目录清单"
        REMOVED = "removed", "已移出目录清单"

    name = models.CharField("名称", max_length=100)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    kind = models.CharField("类型", max_length=30, choices=Kind.choices)
    county = models.ForeignKey("org.County", on_delete=models.PROTECT, related_name="institutions")
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="institutions",
        verbose_name="行业主管部门",
    )
    address = models.CharField("地址", max_length=200, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    # Any institution (an enterprise training centre, a school) may also be a filed evaluator.
    evaluator_kind = models.CharField(
        "评价机构类别", max_length=20, choices=EvaluatorKind.choices, blank=True
    )
    filing_status = models.CharField(
        "备案状态", max_length=10, choices=FilingStatus.choices, blank=True, default=""
    )
    filed_on = models.DateField("备案日期", null=True, blank=True)
    filing_number = models.CharField("备案编号", max_length=50, blank=True)
    catalog_status = models.CharField(
        "线上平台目录状态", max_length=10, choices=CatalogStatus.choices, blank=True, default=""
    )
    catalog_since = models.DateField("纳入目录日期", null=True, blank=True)

    access_scope: ClassVar[Scope] = Scope(
        city="county__city", county="county", department="department", institution="id"
    )

    class Meta:
        ordering = ["county__order", "name"]
        verbose_name = verbose_name_plural = "机构"

    def __str__(self) -> str:
        return self.name

    @property
    def is_school(self) -> bool:
        return self.kind in SCHOOL_KINDS

    @property
    def is_filed_evaluator(self) -> bool:
        return bool(self.evaluator_kind) and self.filing_status == self.FilingStatus.FILED


class InstitutionTransition(models.Model):
    """One filing or catalog decision fired (``registry.workflow``): who, from, to, why, when."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="transitions"
    )
    name = models.CharField(max_length=40)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    access_scope: ClassVar[Scope] = Scope(
        city="institution__county__city",
        county="institution__county",
        department="institution__department",
        institution="institution",
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "机构备案与目录决定"

    def __str__(self) -> str:
        return f"{self.institution_id}: {self.from_status or '—'} → {self.to_status}"

    @property
    def label(self) -> str:
        from .workflow import TRANSITIONS

        return TRANSITIONS[self.name].label if self.name in TRANSITIONS else self.name


# Whose students count as "在校生" for §19 (no subsidised training in the student's major).
SCHOOL_KINDS: frozenset[str] = frozenset(
    {
        Institution.Kind.TECHNICAL_SCHOOL,
        Institution.Kind.VOCATIONAL_SCHOOL,
        Institution.Kind.UNIVERSITY,
    }
)


def _institution_scope(prefix: str) -> Scope:
    return Scope(
        city=f"{prefix}__county__city",
        county=f"{prefix}__county",
        department=f"{prefix}__department",
        institution=prefix,
    )


class EvaluationScope(models.Model):
    """An occupation, and the levels in it, that a filed evaluation institution may assess."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="evaluation_scopes"
    )
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name="职业"
    )
    levels = models.JSONField("可评价等级", default=list)  # e.g. [5, 4, 3]

    access_scope: ClassVar[Scope] = _institution_scope("institution")

    class Meta:
        ordering = ["institution_id", "occupation__code"]
        verbose_name = verbose_name_plural = "评价职业范围"
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "occupation"], name="registry_evalscope_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} · {self.occupation}"


class CatalogEntry(models.Model):
    """目录清单: the institution may give subsidised training in the occupation from ``valid_from``
    (§21: an occupation added by a change counts from the change's date; a university not in
    the catalog is added on approval)."""

    class Source(models.TextChoices):
        ANNUAL = "annual", "年度目录清单"
        CHANGE = "change", "培训职业（工种）依法变更"
        UNIVERSITY = "university", "高校申请同意后纳入"

    year = models.PositiveSmallIntegerField("年度")
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="catalog_entries"
    )
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name="职业"
    )
    valid_from = models.DateField("起始日期")
    valid_until = models.DateField("截止日期", null=True, blank=True)  # inclusive
    source = models.CharField(
        "纳入方式", max_length=12, choices=Source.choices, default=Source.ANNUAL
    )
    note = models.CharField("备注", max_length=200, blank=True)

    access_scope: ClassVar[Scope] = _institution_scope("institution")

    class Meta:
        ordering = ["-year", "institution_id", "occupation__code"]
        verbose_name = verbose_name_plural = "目录清单"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "institution", "occupation"], name="registry_catalog_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.institution} · {self.occupation}"


class Teacher(models.Model):
    """A teacher of an institution; counted by the §20(1) teacher-ratio and apprentice rules."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="teachers")
    name = models.CharField("姓名", max_length=50)
    id_number = EncryptedTextField("身份证号码")
    id_index = models.CharField(max_length=64, editable=False)
    id_masked = models.CharField("身份证号码（脱敏）", max_length=18, editable=False)
    full_time = models.BooleanField("专职", default=True)
    occupations = models.ManyToManyField(
        Occupation, blank=True, related_name="+", verbose_name="任教职业"
    )
    active = models.BooleanField("在职", default=True)

    access_scope: ClassVar[Scope] = _institution_scope("institution")

    class Meta:
        ordering = ["institution_id", "name"]
        verbose_name = verbose_name_plural = "师资"
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "id_index"], name="registry_teacher_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_masked}）"


class TeacherCertificate(models.Model):
    class Kind(models.TextChoices):
        TEACHER_QUALIFICATION = "teacher_qualification", "教师资格证书"
        SKILL_LEVEL = "skill_level", "职业技能等级证书"
        VOCATIONAL_QUALIFICATION = "vocational_qualification", "职业资格证书"
        PROFESSIONAL_TITLE = "professional_title", "专业技术职务任职资格"
        OTHER = "other", "其他师资证书"

    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="certificates")
    kind = models.CharField("证书类型", max_length=30, choices=Kind.choices)
    number = models.CharField("证书编号", max_length=60)
    occupation = models.ForeignKey(
        Occupation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="职业",
    )
    level = models.PositiveSmallIntegerField(
        "等级", choices=SkillLevel.choices, null=True, blank=True
    )

    access_scope: ClassVar[Scope] = _institution_scope("teacher__institution")

    class Meta:
        ordering = ["teacher_id", "kind"]
        verbose_name = verbose_name_plural = "师资证书"
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "kind", "number"], name="registry_teachercert_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class Site(models.Model):
    """A training site (场地) of an institution."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField("场地名称", max_length=100)
    address = models.CharField("地址", max_length=200, blank=True)
    area_m2 = models.PositiveIntegerField("面积（平方米）", null=True, blank=True)

    access_scope: ClassVar[Scope] = _institution_scope("institution")

    class Meta:
        ordering = ["institution_id", "name"]
        verbose_name = verbose_name_plural = "场地"
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="registry_site_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Workstation(models.Model):
    """How many workstations (工位) a site has for one occupation (§20(1) workstation ratio)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="workstations")
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name="职业"
    )
    count = models.PositiveIntegerField("工位数")

    access_scope: ClassVar[Scope] = _institution_scope("site__institution")

    class Meta:
        ordering = ["site_id", "occupation__code"]
        verbose_name = verbose_name_plural = "工位"
        constraints = [
            models.UniqueConstraint(
                fields=["site", "occupation"], name="registry_workstation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} · {self.occupation.code} × {self.count}"


class Person(models.Model):
    """A real-name person. The ID number and phone are encrypted; look-ups use the indexes."""

    name = models.CharField("姓名", max_length=50)
    id_number = EncryptedTextField("身份证号码")
    id_index = models.CharField(max_length=64, unique=True, editable=False)
    id_masked = models.CharField("身份证号码（脱敏）", max_length=18, editable=False)
    phone = EncryptedTextField("手机号码", blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField("手机号码（脱敏）", max_length=11, blank=True, editable=False)
    birth_date = models.DateField("出生日期")
    county = models.ForeignKey("org.County", on_delete=models.PROTECT, related_name="people")
    key_group = models.CharField("重点群体", max_length=30, choices=KeyGroup.choices, blank=True)
    employer = models.ForeignKey(
        Institution,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employees",
        verbose_name="工作单位",
    )
    post_occupation = models.ForeignKey(
        Occupation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="岗位职业",
    )
    former_occupation = models.ForeignKey(
        Occupation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="原岗位职业（转岗）",
    )
    transferred_on = models.DateField("转岗日期", null=True, blank=True)
    school = models.ForeignKey(
        Institution,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="students",
        verbose_name="在读学校",
    )
    major_occupation = models.ForeignKey(
        Occupation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="在读专业（对应职业）",
    )
    graduation_year = models.PositiveSmallIntegerField("毕业年份", null=True, blank=True)

    access_scope: ClassVar[Scope] = Scope(city="county__city", county="county", person="id")

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "人员"

    def __str__(self) -> str:
        return f"{self.name}（{self.id_masked}）"

    def masked(self) -> str:
        return self.id_masked or ids.mask(self.id_number)

    @property
    def is_transferred(self) -> bool:
        return self.former_occupation_id is not None

    @property
    def is_student(self) -> bool:
        return self.school_id is not None


class Sanction(models.Model):
    """A sanction on an institution, in force from ``starts_on`` up to (not including)
    ``ends_on``; it expires on its own. A blacklisting may have no end until its dynamic exit
    (``lifted_on``)."""

    class Kind(models.TextChoices):
        SUSPENSION = "suspension", "停止开班整改"
        BLACKLIST = "blacklist", "黑名单"
        PLATFORM_BAN = "platform_ban", "平台禁止参与补贴培训"

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="sanctions")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    clause = models.CharField("依据条款", max_length=20)
    reason = models.TextField("事由")
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("到期日期（当日起失效）", null=True, blank=True)
    lifted_on = models.DateField("提前解除/退出日期", null=True, blank=True)
    lift_reason = models.TextField("解除/退出事由", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    access_scope: ClassVar[Scope] = _institution_scope("institution")

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = verbose_name_plural = "处理措施"
        indexes = [
            models.Index(fields=["institution", "starts_on"], name="registry_sanction_inst_start")
        ]

    def __str__(self) -> str:
        return f"{self.institution} · {self.get_kind_display()}（{self.starts_on}起）"

    def is_active(self, on: Any) -> bool:
        if on < self.starts_on:
            return False
        if self.ends_on is not None and on >= self.ends_on:
            return False
        return not (self.lifted_on is not None and on >= self.lifted_on)


class Roster(models.Model):
    """A named list of people an institution brings to a class (花名册)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="rosters")
    title = models.CharField("名称", max_length=100)
    people = models.ManyToManyField(Person, through="RosterEntry", related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    access_scope: ClassVar[Scope] = _institution_scope("institution")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "花名册"
        constraints = [
            models.UniqueConstraint(fields=["institution", "title"], name="registry_roster_unique")
        ]

    def __str__(self) -> str:
        return self.title


class RosterEntry(models.Model):
    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="entries")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="roster_entries")
    row = models.PositiveIntegerField("行号", default=0)

    access_scope: ClassVar[Scope] = _institution_scope("roster__institution")

    class Meta:
        ordering = ["roster_id", "row"]
        verbose_name = verbose_name_plural = "花名册人员"
        constraints = [
            models.UniqueConstraint(fields=["roster", "person"], name="registry_rosterentry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.roster_id}:{self.person_id}"


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
