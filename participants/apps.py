from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = "People, organisations and cohorts"

    def ready(self):
        from participants import privacy_views  # noqa: F401  (registers the data PDF job)
