"""The org app: the city, its 12 county-level units and the departments of the document."""

from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "chizheng.org"
    label = "org"
    verbose_name = "组织机构"
