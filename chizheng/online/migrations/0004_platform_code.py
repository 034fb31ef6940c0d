"""Schema: a platform keeps its code (``PlatformCode``), no longer a token of its own."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("online", "0003_platform_tokens_to_api_tokens"),
        ("registry", "0002_occupations_catalog_teachers_sites_people_sanctions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("PlatformToken", "PlatformCode"),
        migrations.RemoveField("platformcode", "token_hash"),
        migrations.RemoveField("platformcode", "token_prefix"),
        migrations.RemoveField("platformcode", "revoked"),
        migrations.RenameField("platformcode", "issued_at", "registered_at"),
        migrations.RenameField("platformcode", "issued_by", "registered_by"),
        migrations.AlterField(
            model_name="platformcode",
            name="registered_at",
            field=models.DateTimeField(verbose_name="登记时间"),
        ),
        migrations.AlterField(
            model_name="platformcode",
            name="registered_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="platformcode",
            name="institution",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="online_code",
                to="registry.institution",
                verbose_name="线上平台",
            ),
        ),
        migrations.AlterModelOptions(
            name="platformcode",
            options={
                "ordering": ["code"],
                "verbose_name": "线上平台代码",
                "verbose_name_plural": "线上平台代码",
            },
        ),
    ]
