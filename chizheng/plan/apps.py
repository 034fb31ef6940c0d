from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "chizheng.plan"
    label = "plan"
    verbose_name = "目标任务与进度"

    def ready(self) -> None:
        from chizheng.assessment.signals import certificates_changed

        from .tally import on_certificates_changed

        certificates_changed.connect(on_certificates_changed, dispatch_uid="plan.tally")
