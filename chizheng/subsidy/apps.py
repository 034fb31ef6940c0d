"""The subsidy app: standards, claims, public notices, funds, vouchers and the bulletin."""

from django.apps import AppConfig


class SubsidyConfig(AppConfig):
    name = "chizheng.subsidy"
    label = "subsidy"
    verbose_name = "补贴申领、公示、资金与电子培训券"
