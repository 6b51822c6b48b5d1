"""The status says the stage reached (issue #21's review): an initiative confirmed
"implemented and reviewed" while its status still said idea, agreed or testing is
implemented; one agreed while it still said idea is agreed. Run once, on what is there."""

from django.db import migrations


def forwards(apps, schema_editor):
    Initiative = apps.get_model("improvements", "ImprovementInitiative")
    Initiative.objects.filter(
        reviewed_at__isnull=False, status__in=["idea", "agreed", "testing"]
    ).update(status="implemented")
    Initiative.objects.filter(agreed_first_at__isnull=False, status="idea").update(
        status="agreed"
    )


class Migration(migrations.Migration):
    dependencies = [("improvements", "0004_implementation_and_outcome")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
