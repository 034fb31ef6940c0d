"""The registry's vocabularies other apps share: skill levels (and which are high-skilled),
certificate types, and the key groups of §10.
"""

from __future__ import annotations

from django.db import models


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
