"""Times, not halves (issue #20), second step: with every half-day given times (0004), both
times are required, a half-day ends after it starts, and on PostgreSQL two half-days of one
participant that are not cancelled may not overlap (an exclusion constraint, which needs the
btree_gist extension to compare the participant with `=` in a GiST index). SQLite has
neither; there the service refuses.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations, models

import placements.models


class BtreeGistOnPostgreSQL(BtreeGistExtension):
    """The extension on PostgreSQL only: on SQLite (`make run`) there is nothing to create or
    drop, either way (Django's operation asks pg_extension when migrating back)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0004_half_day_times"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="halfday",
            options={"ordering": ["date", "starts_at"]},
        ),
        migrations.AlterField(
            model_name="halfday",
            name="ends_at",
            field=models.TimeField(verbose_name="end time"),
        ),
        migrations.AlterField(
            model_name="halfday",
            name="starts_at",
            field=models.TimeField(verbose_name="start time"),
        ),
        migrations.AddConstraint(
            model_name="halfday",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_at__gt", models.F("starts_at"))),
                name="half_day_ends_after_it_starts",
                violation_error_message="Enter an end time later than the start time.",
            ),
        ),
        BtreeGistOnPostgreSQL(),
        migrations.AddConstraint(
            model_name="halfday",
            constraint=placements.models.PostgresExclusionConstraint(
                condition=models.Q(("status", "cancelled"), _negated=True),
                expressions=[
                    ("participant", "="),
                    (placements.models.TimesOnTheDay(), "&&"),
                ],
                name="half_day_times_do_not_overlap",
            ),
        ),
    ]
