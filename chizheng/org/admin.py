"""Admin pages of the organisation: counties and departments."""

from django.contrib import admin

from .models import County, Department

admin.site.register(County)
admin.site.register(Department)
