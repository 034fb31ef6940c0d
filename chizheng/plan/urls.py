"""Plan pages, under /plan/: the dashboard, the plan document and the periodic reports."""

from django.urls import path

from . import views

app_name = "plan"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("document/", views.plan_detail, name="document"),
    path("reports/", views.report, name="report"),
]
