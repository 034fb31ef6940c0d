"""Schema: the version a reviewer saw of a class application (issue 11, finding 4)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0004_survey_closed_and_trained'),
    ]

    operations = [
        migrations.AddField(
            model_name='trainingclass',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name='版本'),
        ),
    ]
