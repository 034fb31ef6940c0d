"""The registry app: occupations, institutions, catalog, teachers, sites, people, sanctions."""

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "chizheng.registry"
    label = "registry"
    verbose_name = "基础名录"
