"""Online-area pages, under /online/: the dashboard, the audit, the platforms' codes and
violations, course binding, learners."""

from django.urls import URLPattern, path

from . import views

app_name = "online"

urlpatterns: list[URLPattern] = [
    path("", views.dashboard, name="dashboard"),
    path("audit/", views.audit_run, name="audit_run"),
    path("platforms/<int:platform_id>/confirm/", views.confirm_violation, name="confirm"),
    path("platforms/<int:platform_id>/code/", views.platform_code, name="platform_code"),
    path("classes/<int:class_id>/courses/", views.bind_course, name="bind_course"),
    path("learners/", views.learner_list, name="learners"),
    path("learners/<int:learner_id>/", views.learner_detail, name="learner"),
]
