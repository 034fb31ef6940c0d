from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "chizheng.plan"
    label = "plan"
    verbose_name = "目标任务与进度"
