"""Schema: the version a reviewer saw of a subsidy claim (issue 11, finding 4)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('subsidy', '0002_standard_per_city'),
    ]

    operations = [
        migrations.AddField(
            model_name='claim',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name='版本'),
        ),
    ]
