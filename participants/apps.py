from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = "People, organisations and cohorts"

    def ready(self):
        from participants import register_jobs  # noqa: F401  (registers the import job kind)
