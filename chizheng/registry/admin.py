from django.contrib import admin

from .models import Institution


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "county", "department")
    list_filter = ("kind", "county")
    search_fields = ("name",)
