"""The admin page of certificates (the first-of-year flags are derived, read-only)."""

from django.contrib import admin

from .models import Certificate


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = (
        "person",
        "occupation_code",
        "skill_level",
        "kind",
        "channel",
        "issued_on",
        "county",
    )
    list_filter = ("kind", "channel", "skill_level", "county")
    raw_id_fields = ("person", "issuing_institution")
    readonly_fields = ("first_in_year", "first_high_in_year")
