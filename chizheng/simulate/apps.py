"""The simulation app: only its management command (``chizheng simulate``); no models."""

from django.apps import AppConfig


class SimulateConfig(AppConfig):
    name = "chizheng.simulate"
    label = "simulate"
    verbose_name = "城市年度模拟"
