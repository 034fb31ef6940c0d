"""Registry pages, under /registry/ (included by chizheng.web.urls)."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("", views.table_list, {"name": "institutions"}, name="index"),
    path("occupations/<str:code>/", views.occupation_detail, name="occupation"),
    path("institutions/new/", views.institution_form, name="institution_new"),
    path("institutions/<int:pk>/", views.institution_detail, name="institution"),
    path("institutions/<int:pk>/edit/", views.institution_form, name="institution_edit"),
    path(
        "institutions/<int:pk>/decisions/<str:name>/",
        views.institution_decide,
        name="institution_decide",
    ),
    path("institutions/<int:pk>/scopes/", views.evaluation_scope_add, name="evaluation_scope_add"),
    path("institutions/<int:pk>/catalog/", views.catalog_add, name="catalog_add"),
    path("institutions/<int:pk>/teachers/new/", views.teacher_add, name="teacher_add"),
    path("institutions/<int:pk>/sites/new/", views.site_add, name="site_add"),
    path("institutions/<int:pk>/sanctions/new/", views.sanction_form, name="sanction_new"),
    path("teachers/<int:pk>/", views.teacher_detail, name="teacher"),
    path("sites/<int:pk>/", views.site_detail, name="site"),
    path("people/new/", views.person_form, name="person_new"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("sanctions/<int:pk>/", views.sanction_detail, name="sanction"),
    path("sanctions/<int:pk>/lift/", views.sanction_lift, name="sanction_lift"),
    path("rosters/<int:pk>/", views.roster_detail, name="roster"),
    path("public/blacklist/", views.public_blacklist, name="public_blacklist"),
    path("imports/", views.import_upload, name="import"),
    path("imports/<int:pk>/", views.import_job, name="import_job"),
    path("imports/<int:pk>/errors.xlsx", views.import_errors, name="import_errors"),
    path("imports/template/<str:kind>.<str:fmt>", views.import_template, name="import_template"),
    path("<str:name>/", views.table_list, name="list"),
    path("<str:name>/export.xlsx", views.table_export, name="export"),
]
