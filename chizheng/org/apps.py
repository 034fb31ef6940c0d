from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "chizheng.org"
    label = "org"
    verbose_name = "组织机构"
