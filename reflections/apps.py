from django.apps import AppConfig


class ReflectionsConfig(AppConfig):
    name = "reflections"

    def ready(self):
        from reflections import jobs  # noqa: F401  (registers the PDF job kind)
