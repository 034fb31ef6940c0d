"""The competitions app: events, contestants, results and certification (§11)."""

from django.apps import AppConfig


class CompetitionsConfig(AppConfig):
    name = "chizheng.competitions"
    label = "competitions"
    verbose_name = "职业技能竞赛"
