"""Registry pages, under /registry/ (included by config.urls)."""

from __future__ import annotations

from django.urls import path

from .views import institutions, lists, occupations, people, public, sanctions, staff, uploads

app_name = "registry"

urlpatterns = [
    path("", lists.table_list, {"name": "institutions"}, name="index"),
    path("occupations/pick/", occupations.occupation_pick, name="occupation_pick"),
    path("occupations/<str:code>/", occupations.occupation_detail, name="occupation"),
    path("institutions/new/", institutions.institution_form, name="institution_new"),
    path("institutions/<int:pk>/", institutions.institution_detail, name="institution"),
    path("institutions/<int:pk>/edit/", institutions.institution_form, name="institution_edit"),
    path(
        "institutions/<int:pk>/decisions/<str:name>/",
        institutions.institution_decide,
        name="institution_decide",
    ),
    path(
        "institutions/<int:pk>/scopes/",
        institutions.evaluation_scope_add,
        name="evaluation_scope_add",
    ),
    path("institutions/<int:pk>/catalog/", institutions.catalog_add, name="catalog_add"),
    path("institutions/<int:pk>/teachers/new/", staff.teacher_add, name="teacher_add"),
    path("institutions/<int:pk>/sites/new/", staff.site_add, name="site_add"),
    path("institutions/<int:pk>/sanctions/new/", sanctions.sanction_form, name="sanction_new"),
    path("teachers/<int:pk>/", staff.teacher_detail, name="teacher"),
    path("sites/<int:pk>/", staff.site_detail, name="site"),
    path("people/new/", people.person_form, name="person_new"),
    path("people/<int:pk>/", people.person_detail, name="person"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("sanctions/<int:pk>/", sanctions.sanction_detail, name="sanction"),
    path("sanctions/<int:pk>/lift/", sanctions.sanction_lift, name="sanction_lift"),
    path("rosters/<int:pk>/", people.roster_detail, name="roster"),
    path("public/blacklist/", sanctions.public_blacklist, name="public_blacklist"),
    path("public/catalog/", public.public_catalog, name="public_catalog"),
    path("public/catalog/<str:which>/", public.public_catalog, name="public_catalog_of"),
    path("imports/", uploads.import_upload, name="import"),
    path("imports/<int:pk>/", uploads.import_job, name="import_job"),
    path("imports/<int:pk>/errors.xlsx", uploads.import_errors, name="import_errors"),
    path("imports/template/<str:kind>.<str:fmt>", uploads.import_template, name="import_template"),
    path("<str:name>/", lists.table_list, name="list"),
    path("<str:name>/export.xlsx", lists.table_export, name="export"),
]
