from django.urls import URLPattern

app_name = "online"

urlpatterns: list[URLPattern] = []
