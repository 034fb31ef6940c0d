"""The assessment app: certificates, the records progress and subsidies read."""

from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "chizheng.assessment"
    label = "assessment"
    verbose_name = "评价与证书"
