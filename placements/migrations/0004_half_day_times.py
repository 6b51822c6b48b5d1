"""Times, not halves (issue #20), first step: every half-day logged before times were
recorded takes its session's typical times (`placements.models.TYPICAL_TIMES`).

Only data here: on PostgreSQL the rows this updates queue trigger events that forbid an
ALTER TABLE of the same table in the same transaction, so the times are required, and the
constraints added, in the next migration (0005), as Django's documentation advises.
"""

from django.db import migrations

from placements.models import TYPICAL_TIMES


def fill_times(apps, schema_editor):
    HalfDay = apps.get_model("placements", "HalfDay")
    for session, (starts, ends) in TYPICAL_TIMES.items():
        HalfDay.objects.filter(session=session, starts_at__isnull=True).update(starts_at=starts)
        HalfDay.objects.filter(session=session, ends_at__isnull=True).update(ends_at=ends)


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0010_hosts_and_registers"),
        ("placements", "0003_offers_clearances_feedback_concerns"),
    ]

    operations = [
        migrations.RunPython(fill_times, migrations.RunPython.noop),
    ]
