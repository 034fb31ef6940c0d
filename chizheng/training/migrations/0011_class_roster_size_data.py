"""The roster size of the classes that exist, counted once from their enrolments."""

from django.db import migrations
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_rosters(apps, schema_editor):
    TrainingClass = apps.get_model("training", "TrainingClass")
    Enrolment = apps.get_model("training", "Enrolment")
    per_class = (
        Enrolment.objects.filter(training_class=OuterRef("pk"))
        .order_by()
        .values("training_class")
        .annotate(n=Count("pk"))
        .values("n")
    )
    TrainingClass.objects.update(roster_size=Coalesce(Subquery(per_class), 0))


class Migration(migrations.Migration):
    dependencies = [("training", "0010_class_roster_size")]

    operations = [migrations.RunPython(count_rosters, migrations.RunPython.noop)]
