"""The web app: layout, sign-in, home pages, health checks and the production server."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "chizheng.web"
    label = "web"
    verbose_name = "网站"
