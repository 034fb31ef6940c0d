"""The accounts app: users, roles, scopes and API tokens."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "chizheng.accounts"
    label = "accounts"
    verbose_name = "用户与权限"
