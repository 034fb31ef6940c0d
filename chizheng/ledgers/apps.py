"""The ledgers (台账, §三(二)): training and evaluation counted by level and category."""

from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "chizheng.ledgers"
    verbose_name = "培训、评价台账"
