from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "evaluation"

    def ready(self):
        from evaluation import jobs  # noqa: F401  (registers the report's PDF job kind)
