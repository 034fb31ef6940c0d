"""Admin pages of the registries (the city office's filing and catalog decisions read-only)."""

from django.contrib import admin
from django.http import HttpRequest

from .models import CatalogEntry, Institution, Occupation, Sanction
from .services import DECISION_FIELDS


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "county", "department", "evaluator_kind", "filing_status")
    list_filter = ("kind", "county", "evaluator_kind")
    search_fields = ("name", "credit_code")
    # The city office's decisions (registry.workflow), taken on the institution page.
    readonly_fields = DECISION_FIELDS


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "active")
    list_filter = ("level", "active")
    search_fields = ("code", "name")


@admin.register(CatalogEntry)
class CatalogEntryAdmin(admin.ModelAdmin):
    list_display = ("year", "institution", "occupation", "valid_from", "valid_until", "source")
    list_filter = ("year", "source")


@admin.register(Sanction)
class SanctionAdmin(admin.ModelAdmin):
    """Read-only here: sanctions are imposed and lifted through the services (audited)."""

    list_display = ("institution", "kind", "clause", "starts_on", "ends_on", "lifted_on")
    list_filter = ("kind",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
