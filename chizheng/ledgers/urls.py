"""The ledgers, under /ledgers/ (included by config.urls)."""

from django.urls import path

from . import views

app_name = "ledgers"

urlpatterns = [
    path("", views.ledger, name="index"),
    path("certificates/", views.certificates, name="certificates"),
    path("<str:which>/", views.ledger, name="ledger"),
]
