"""The supervision app: findings of the cross-checks (``chizheng supervision scan``)."""

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "chizheng.supervision"
    label = "supervision"
    verbose_name = "监督核查"
