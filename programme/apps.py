from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    """What spans the apps: progress, the pages that read every app, reminders, the pack,
    the evaluation report, personal data and organisation merge."""

    name = "programme"
    verbose_name = "The programme across its apps"

    def ready(self):
        # Importing these registers their job kinds (PDFs built off the request).
        from i2i import admin_site
        from programme import (  # noqa: F401
            decision_audit,
            evaluation_jobs,
            personal_data_registry,
            privacy_views,
            workshop_pack,
        )

        decision_audit.connect()
        admin_site.mark_private(personal_data_registry.private_field_labels())
