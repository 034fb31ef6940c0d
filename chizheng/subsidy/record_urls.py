"""电子档案: a person's electronic training record."""

from django.urls import path

from . import views_record

app_name = "record"

urlpatterns = [
    path("", views_record.my_record, name="mine"),
    path("<int:person_id>/", views_record.person_record, name="person"),
]
