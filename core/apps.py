from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared kernel, below every other app: money, amount parsing, versioning, formats, downloads, text."""

    name = "core"
    verbose_name = "noyau"
