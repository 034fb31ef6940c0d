"""证书查验: public, no sign-in."""

from django.urls import path

from . import views_verify

app_name = "verify"

urlpatterns = [
    path("", views_verify.verify, name="form"),
    path("<str:number>/", views_verify.certificate, name="certificate"),
]
