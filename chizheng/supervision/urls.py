"""Supervision pages, under /supervision/: the findings and one finding; the cases, one
case, its steps and its evidence files."""

from django.urls import URLPattern, path

from . import views

app_name = "supervision"

urlpatterns: list[URLPattern] = [
    path("", views.finding_list, name="list"),
    path("<int:finding_id>/", views.finding_detail, name="detail"),
    path("cases/", views.case_list, name="cases"),
    path("cases/open/", views.case_open, name="case_open"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path(
        "cases/<int:case_id>/<slug:step>/",
        views.case_act,
        name="case_act",
    ),
    path("cases/files/<int:file_id>/", views.case_file, name="case_file"),
]
