from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEvent, HolidayOverride, HolidayYear


@admin.register(HolidayYear)
class HolidayYearAdmin(admin.ModelAdmin):
    """Read-only: a year is entered, checked and confirmed on its page (/calendar/), which
    keeps its history; an edit here would skip both."""

    list_display = ("year", "source", "notice_number", "status", "revision")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    list_display = ("day", "workday", "name")
    list_filter = ("workday",)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("seq", "at", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action",)
    search_fields = ("object_id", "actor_label")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
