"""The programme office's role is stored under the glossary's name (was ``city_office``)."""

from django.db import migrations


def forward(apps, schema_editor):
    apps.get_model("accounts", "User").objects.filter(role="city_office").update(
        role="programme_office"
    )


def backward(apps, schema_editor):
    apps.get_model("accounts", "User").objects.filter(role="programme_office").update(
        role="city_office"
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_role_programme_office")]

    operations = [migrations.RunPython(forward, backward)]
