"""Schema: the hand-written sign-in throttle's table goes; django-axes keeps the lockout (docs/adr/0004)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_audit_chain_keyed'),
    ]

    operations = [
        migrations.DeleteModel(
            name='LoginFailure',
        ),
    ]
