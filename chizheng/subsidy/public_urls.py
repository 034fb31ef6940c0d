"""The public site's notices (公示): no sign-in."""

from django.urls import path

from . import views_public as views

app_name = "notices"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:claim_id>/", views.public_detail, name="detail"),
]
