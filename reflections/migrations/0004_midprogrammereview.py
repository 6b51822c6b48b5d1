"""One mid-programme review per participant, recorded by their line manager (issue 19, item 4)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0007_participant_show_email_to_peers"),
        ("reflections", "0003_reflectiveaccount_shared_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="MidProgrammeReview",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("held_on", models.DateField(verbose_name="date the review was held")),
                (
                    "going_well",
                    models.TextField(max_length=4000, verbose_name="what is going well"),
                ),
                (
                    "help_needed",
                    models.TextField(
                        blank=True, max_length=4000, verbose_name="what help is needed"
                    ),
                ),
                (
                    "plan",
                    models.TextField(
                        max_length=4000, verbose_name="the plan to the end of the programme"
                    ),
                ),
                ("recorded_at", models.DateTimeField(auto_now_add=True)),
                (
                    "participant",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mid_programme_review",
                        to="participants.participant",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "mid-programme review",
            },
        ),
    ]
