"""Real-name people (ID number and phone encrypted, looked up by their indexes) and the
rosters (花名册) an institution brings to a class.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from chizheng.accounts.scope import Scope
from chizheng.core import ids
from chizheng.core.fields import EncryptedTextField

from .choices import KeyGroup
from .institutions import Institution, _institution_scope
from .occupations import Occupation

# A person's registry facts besides name, ID number, phone and county: what a service call or
# an import row may set (an import names a related record by the field's name).
PERSON_FACTS = (
    "key_group",
    "employer",
    "post_occupation",
    "former_occupation",
    "transferred_on",
    "school",
    "major_occupation",
    "graduation_year",
)


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
