"""The training app: the class lifecycle of 附件2, from application to assessment."""

from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "chizheng.training"
    label = "training"
    verbose_name = "开班与培训过程"
