"""Supervision pages, under /supervision/: the findings and one finding."""

from django.urls import URLPattern, path

from . import views

app_name = "supervision"

urlpatterns: list[URLPattern] = [
    path("", views.finding_list, name="list"),
    path("<int:finding_id>/", views.finding_detail, name="detail"),
]
