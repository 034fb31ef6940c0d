"""Competition pages, under /competitions/: events, one event, its contestants and results."""

from django.urls import URLPattern, path

from . import views

app_name = "competitions"

urlpatterns: list[URLPattern] = [
    path("", views.event_list, name="list"),
    path("new/", views.event_new, name="new"),
    path("<int:event_id>/", views.event_detail, name="event"),
    path("<int:event_id>/contestants/", views.contestant_add, name="add"),
    path("<int:event_id>/import/", views.contestants_import, name="import"),
    path("<int:event_id>/template.xlsx", views.contestants_template, name="template"),
    path("contestants/", views.contestant_list, name="contestants"),
    path("contestants/<int:contestant_id>/", views.contestant_result, name="result"),
]
