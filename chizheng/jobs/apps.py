"""The jobs app: background jobs, their worker and the nightly schedule."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "chizheng.jobs"
    label = "jobs"
    verbose_name = "后台任务"
