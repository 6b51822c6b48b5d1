from django.apps import AppConfig


class I2IConfig(AppConfig):
    name = "i2i"
    verbose_name = "I2I Cohorts"

    def ready(self):
        from i2i import audit, security  # noqa: F401  (their signal receivers)
