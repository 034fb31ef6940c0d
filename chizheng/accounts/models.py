"""Users, each with one role acting inside one scope; the API tokens their systems call with."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from .scope import Scope


class Role(models.TextChoices):
    PROGRAMME_OFFICE = "programme_office", "市人社局（领导小组办公室）"
    CITY_LEADER = "city_leader", "市领导（只读）"
    COUNTY_HR = "county_hr", "县（市、区）人社局"
    INDUSTRY = "industry", "行业主管部门"
    FINANCE = "finance", "财政局"
    INSPECTOR = "inspector", "检查人员"
    INSTITUTION = "institution", "培训机构/企业"
    EVALUATOR = "evaluator", "评价机构"
    PLATFORM = "platform", "线上平台"
    WORKER = "worker", "劳动者"


class ScopeKind(models.TextChoices):
    CITY = "city", "全市"
    COUNTY = "county", "本县（市、区）"
    DEPARTMENT = "department", "本部门"
    INSTITUTION = "institution", "本机构"
    SELF = "self", "本人"


# Which scope each role acts in; an inspector may be city-wide or bound to a county.
ROLE_SCOPES: dict[str, tuple[str, ...]] = {
    Role.PROGRAMME_OFFICE: (ScopeKind.CITY,),
    Role.CITY_LEADER: (ScopeKind.CITY,),
    Role.FINANCE: (ScopeKind.CITY,),
    Role.COUNTY_HR: (ScopeKind.COUNTY,),
    Role.INSPECTOR: (ScopeKind.CITY, ScopeKind.COUNTY),
    Role.INDUSTRY: (ScopeKind.DEPARTMENT,),
    Role.INSTITUTION: (ScopeKind.INSTITUTION,),
    Role.EVALUATOR: (ScopeKind.INSTITUTION,),
    Role.PLATFORM: (ScopeKind.INSTITUTION,),
    Role.WORKER: (ScopeKind.SELF,),
}


class User(AbstractUser):
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    display_name = models.CharField("姓名", max_length=50, blank=True)
    city = models.ForeignKey(
        "org.City", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    county = models.ForeignKey(
        "org.County", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    institution = models.ForeignKey(
        "registry.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    @property
    def scope_kind(self) -> ScopeKind:
        if self.role == Role.WORKER:
            return ScopeKind.SELF
        if self.role in (Role.INSTITUTION, Role.EVALUATOR, Role.PLATFORM):
            return ScopeKind.INSTITUTION
        if self.role == Role.INDUSTRY:
            return ScopeKind.DEPARTMENT
        if self.role == Role.COUNTY_HR or (self.role == Role.INSPECTOR and self.county_id):
            return ScopeKind.COUNTY
        return ScopeKind.CITY

    @property
    def home_city_id(self) -> int | None:
        """The city the user's scope belongs to, whatever its kind."""
        if self.city_id:
            return self.city_id
        for owner in (self.county, self.department):
            if owner is not None:
                return owner.city_id
        if self.institution is not None:
            return self.institution.county.city_id
        return self.person.county.city_id if self.person is not None else None

    def get_scope_label(self) -> str:
        kind = self.scope_kind
        owner = {
            ScopeKind.CITY: self.city,
            ScopeKind.COUNTY: self.county,
            ScopeKind.DEPARTMENT: self.department,
            ScopeKind.INSTITUTION: self.institution,
            ScopeKind.SELF: self.person,
        }[kind]
        return f"{ScopeKind(kind).label}：{owner}" if owner else str(ScopeKind(kind).label)

    def clean(self) -> None:
        if self.is_superuser and not self.role:
            return
        needs = {
            ScopeKind.COUNTY: ("county", "请选择所属县（市、区）"),
            ScopeKind.DEPARTMENT: ("department", "请选择所属部门"),
            ScopeKind.INSTITUTION: ("institution", "请选择所属机构"),
            ScopeKind.SELF: ("person", "请关联本人的实名信息"),
        }
        if self.role not in ROLE_SCOPES:
            raise ValidationError({"role": "请选择角色"})
        if self.scope_kind in needs:
            field, message = needs[self.scope_kind]
            if not getattr(self, f"{field}_id"):
                raise ValidationError({field: message})
        if self.scope_kind == ScopeKind.CITY and not self.city_id:
            raise ValidationError({"city": "请选择所属市"})

    def __str__(self) -> str:
        return self.display_name or self.username


class ApiToken(models.Model):
    """A credential an institution's or a platform's own system calls the API with.

    It acts as its owner ``user`` through the same access layer (what he sees, what his role
    may do); only its SHA-256 is kept (the token is 256 random bits, so a fast hash is
    enough) with a prefix to tell tokens apart. It expires, can be revoked, and its use is
    logged: ``last_used_at`` at most once a minute, one ``ApiTokenUse`` row a day.
    """

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="api_tokens", verbose_name="所属用户"
    )
    name = models.CharField("用途", max_length=60)
    prefix = models.CharField("令牌前缀", max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("签发时间")
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField("到期时间")
    revoked_at = models.DateTimeField("停用时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_used_at = models.DateTimeField("最近使用时间", null=True, blank=True)
    last_used_from = models.CharField("最近使用地址", max_length=64, blank=True)

    # An institution's (or a platform's) users manage the tokens of their institution.
    access_scope: ClassVar[Scope] = Scope(institution="user__institution")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"


class ApiTokenUse(models.Model):
    """One token's use on one day: when first and last, from where, in how many minutes."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="uses")
    day = models.DateField("日期")
    first_at = models.DateTimeField("首次使用")
    last_at = models.DateTimeField("最近使用")
    minutes = models.PositiveIntegerField("使用的分钟数", default=1)
    address = models.CharField("地址", max_length=64, blank=True)

    access_scope: ClassVar[Scope] = Scope(institution="token__user__institution")

    class Meta:
        ordering = ["-day", "token_id"]
        verbose_name = verbose_name_plural = "接口令牌使用记录"
        constraints = [
            models.UniqueConstraint(fields=["token", "day"], name="api_token_use_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.token_id} {self.day}"
