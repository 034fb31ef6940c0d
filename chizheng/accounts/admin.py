"""The admin page of users: role and scope beside Django's own fields."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "display_name",
        "role",
        "county",
        "department",
        "institution",
        "is_active",
    )
    list_filter = ("role", "county")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (
            "角色与范围",
            {
                "fields": (
                    "role",
                    "display_name",
                    "city",
                    "county",
                    "department",
                    "institution",
                    "person",
                )
            },
        ),
    )
