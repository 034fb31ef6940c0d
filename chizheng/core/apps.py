"""The core app: audit log, calendar overrides and the other foundations every app uses."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chizheng.core"
    label = "core"
    verbose_name = "核心"
