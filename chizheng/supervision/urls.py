"""Supervision pages, under /supervision/: the findings and one finding; risk and the
findings dashboard (``views_risk``)."""

from django.urls import URLPattern, path

from . import views, views_risk

app_name = "supervision"

urlpatterns: list[URLPattern] = [
    path("", views.finding_list, name="list"),
    path("risk/", views_risk.risk_list, name="risk"),
    path("risk/<str:subject>/<int:institution_id>/", views_risk.risk_detail, name="risk_detail"),
    path("dashboard/", views_risk.findings_dashboard, name="dashboard"),
    path("<int:finding_id>/", views.finding_detail, name="detail"),
]
