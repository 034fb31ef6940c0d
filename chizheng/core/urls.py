"""The working-day calendar's pages, under /calendar/: next year's holidays entered, checked,
confirmed and exported by the city office."""

from django.urls import URLPattern, path

from . import views

app_name = "core"

urlpatterns: list[URLPattern] = [
    path("", views.calendar_index, name="calendar"),
    path("<int:year>/", views.calendar_year, name="calendar_year"),
    path("<int:year>/import/", views.calendar_import, name="calendar_import"),
    path("<int:year>/confirm/", views.calendar_confirm, name="calendar_confirm"),
    path("<int:year>/export.xlsx", views.calendar_export, name="calendar_export"),
]
