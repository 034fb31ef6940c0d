"""The books: invariants that hold across areas (training, assessment, subsidy, funds)."""

from django.apps import AppConfig


class BooksConfig(AppConfig):
    name = "chizheng.books"
    label = "books"
    verbose_name = "账目核对"
