"""Data: each platform's upload token becomes an API token of the platform's user.

The former per-platform token (``PlatformToken``, issued by the city office) is kept
working: its hash moves to an ``accounts.ApiToken`` of the platform's first active user of
role ``platform`` (a token acts as a user now), expiring one year from this migration. A
revoked token, or one of a platform without such a user, is not carried over (it could act
as no one); its platform's user issues a new token on the token page.
"""

import datetime as dt

from django.db import migrations
from django.utils import timezone

LIFETIME = dt.timedelta(days=365)


def forward(apps, schema_editor):
    PlatformToken = apps.get_model("online", "PlatformToken")
    ApiToken = apps.get_model("accounts", "ApiToken")
    User = apps.get_model("accounts", "User")
    now = timezone.now()
    for row in PlatformToken.objects.filter(revoked=False).order_by("pk"):
        user = (
            User.objects.filter(role="platform", institution_id=row.institution_id, is_active=True)
            .order_by("pk")
            .first()
        )
        if user is None or ApiToken.objects.filter(token_hash=row.token_hash).exists():
            continue
        ApiToken.objects.create(
            user=user,
            name=f"平台上传令牌（{row.code}，迁移）",
            prefix=row.token_prefix[:16],
            token_hash=row.token_hash,
            created_at=row.issued_at,
            created_by_id=row.issued_by_id,
            expires_at=now + LIFETIME,
        )


def backward(apps, schema_editor):
    # The platform tokens keep their hashes until 0004 removes them; nothing to restore.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("online", "0002_results_in_system"),
        ("accounts", "0002_api_tokens"),
    ]

    operations = [migrations.RunPython(forward, backward)]
