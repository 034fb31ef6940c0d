"""Supervision pages, under /supervision/: the findings and one finding; risk and the
findings dashboard (``views_risk``); the cases, one case, its steps and its evidence files."""

from django.urls import URLPattern, path

from . import views, views_evaluator_checks, views_risk

app_name = "supervision"

urlpatterns: list[URLPattern] = [
    path("", views.finding_list, name="list"),
    path("risk/", views_risk.risk_list, name="risk"),
    path("risk/<str:subject>/<int:institution_id>/", views_risk.risk_detail, name="risk_detail"),
    path("dashboard/", views_risk.findings_dashboard, name="dashboard"),
    path("evaluator-checks/", views_evaluator_checks.check_list, name="evaluator_checks"),
    path("evaluator-checks/plan/", views_evaluator_checks.check_plan, name="evaluator_checks_plan"),
    path(
        "evaluator-checks/<int:check_id>/",
        views_evaluator_checks.check_detail,
        name="evaluator_check",
    ),
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
