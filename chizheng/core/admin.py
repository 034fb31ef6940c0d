"""Admin pages of the foundation: holiday years (read-only), single-day calendar corrections
(the city office's, audited) and the audit log (read-only)."""

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from chizheng.accounts.access import can

from . import audit
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


def _override(o: HolidayOverride) -> dict[str, Any]:
    return {"day": o.day, "workday": o.workday, "name": o.name}


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    """A single-day correction of the calendar: the city office's (``calendar.edit``), and
    every change an audit event, as on the calendar's own page."""

    list_display = ("day", "workday", "name")
    list_filter = ("workday",)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return can(request.user, "calendar.edit")  # type: ignore[arg-type]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return can(request.user, "calendar.edit")  # type: ignore[arg-type]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return can(request.user, "calendar.edit")  # type: ignore[arg-type]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return can(request.user, "calendar.edit")  # type: ignore[arg-type]

    def save_model(
        self, request: HttpRequest, obj: HolidayOverride, form: Any, change: bool
    ) -> None:
        with transaction.atomic():
            before = _override(HolidayOverride.objects.get(pk=obj.pk)) if change else None
            super().save_model(request, obj, form, change)
            audit.record(
                actor=request.user,  # type: ignore[arg-type]
                action="calendar.override.change" if change else "calendar.override.add",
                obj=obj,
                before=before,
                after=_override(obj),
            )

    def delete_model(self, request: HttpRequest, obj: HolidayOverride) -> None:
        with transaction.atomic():
            before = _override(obj)
            pk = obj.pk
            super().delete_model(request, obj)
            audit.record(
                actor=request.user,  # type: ignore[arg-type]
                action="calendar.override.delete",
                object_type="core.holidayoverride",
                object_id=pk,
                before=before,
            )

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


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
