"""The online app: online learning events, their audit and the platforms' void shares."""

from django.apps import AppConfig


class OnlineConfig(AppConfig):
    name = "chizheng.online"
    label = "online"
    verbose_name = "线上培训监管"
