from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chizheng.core"
    label = "core"
    verbose_name = "核心"
