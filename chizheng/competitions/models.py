"""Competition events (竞赛) and their contestants (§11).

An event is held at one level (city, a provincial selection, national) in one or more
occupations of the classification, by an organiser (a city department or an institution),
on dates, at a place in a county. A contestant is a person of the registry entered in one of
the event's occupations, with his result, and — when the competition led to it — the
certificate he obtained (an ``assessment.Certificate`` of his) or the skill level the
competition itself conferred (竞赛获奖晋升等级). ``certified_on`` is derived from those two and
kept by the services: the plan's "contestants certified" indicator reads that one column.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import F, Q

from chizheng.accounts.scope import Scope
from chizheng.registry.models import SkillLevel


class Level(models.TextChoices):
    CITY = "city", "市级竞赛"
    PROVINCIAL_SELECTION = "provincial_selection", "省级选拔赛"
    NATIONAL = "national", "国家级竞赛"


class Award(models.TextChoices):
    NONE = "", "未获奖"
    FIRST = "first", "一等奖"
    SECOND = "second", "二等奖"
    THIRD = "third", "三等奖"
    EXCELLENCE = "excellence", "优秀奖"


class Event(models.Model):
    name = models.CharField("赛事名称", max_length=100)
    level = models.CharField("竞赛级别", max_length=30, choices=Level.choices)
    occupations = models.ManyToManyField(
        "registry.Occupation", related_name="+", verbose_name="竞赛职业（工种）"
    )
    organiser_department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="主办部门",
    )
    organiser_institution = models.ForeignKey(
        "registry.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="承办机构",
    )
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    place = models.CharField("举办地点", max_length=200)
    county = models.ForeignKey(
        "org.County", on_delete=models.PROTECT, related_name="+", verbose_name="举办地县（市、区）"
    )
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    # The city's offices see the city's events, a county bureau those held in its county, an
    # organising department its own; institutions and trainees none.
    access_scope: ClassVar[Scope] = Scope(
        city="county__city", county="county", department="organiser_department"
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = verbose_name_plural = "竞赛赛事"
        indexes = [models.Index(fields=["starts_on"], name="competition_event_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="competition_event_dates"
            ),
            models.CheckConstraint(
                condition=Q(organiser_department__isnull=False)
                | Q(organiser_institution__isnull=False),
                name="competition_event_organiser",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Contestant(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="contestants", verbose_name="赛事"
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="competition_entries",
        verbose_name="选手",
    )
    occupation = models.ForeignKey(
        "registry.Occupation", on_delete=models.PROTECT, related_name="+", verbose_name="参赛职业"
    )
    score = models.DecimalField("成绩", max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField("名次", null=True, blank=True)
    award = models.CharField("奖项", max_length=20, choices=Award.choices, blank=True)
    certificate = models.ForeignKey(
        "assessment.Certificate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="竞赛取得的证书",
    )
    conferred_level = models.PositiveSmallIntegerField(
        "竞赛获奖晋升等级", null=True, blank=True, choices=SkillLevel.choices
    )
    conferred_on = models.DateField("晋升日期", null=True, blank=True)
    # Derived (services): the certificate's date of issue, else the date of the conferral.
    certified_on = models.DateField("取证日期", null=True, blank=True, editable=False)

    access_scope: ClassVar[Scope] = Scope(
        city="event__county__city",
        county="event__county",
        department="event__organiser_department",
    )

    class Meta:
        ordering = ["event_id", "rank", "id"]
        verbose_name = verbose_name_plural = "竞赛选手"
        indexes = [models.Index(fields=["certified_on"], name="competition_certified_on")]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="competition_contestant_once"),
            models.CheckConstraint(
                condition=Q(conferred_level__isnull=True, conferred_on__isnull=True)
                | Q(conferred_level__gte=1, conferred_level__lte=5, conferred_on__isnull=False),
                name="competition_conferral_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.person_id}"

    @property
    def certified(self) -> bool:
        return self.certified_on is not None
