"""The plan app: the annual plan, allocation, progress, dashboard and reports."""

from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "chizheng.plan"
    label = "plan"
    verbose_name = "目标任务与进度"
