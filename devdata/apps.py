from django.apps import AppConfig


class DevdataConfig(AppConfig):
    """Fictional data for the demo and the benchmarks: its commands, never the product's."""

    name = "devdata"
    verbose_name = "Demo and generated data"
