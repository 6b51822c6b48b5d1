from django.apps import AppConfig


class I2IConfig(AppConfig):
    name = "i2i"
    verbose_name = "I2I Cohorts"
