from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared kernel, below every other app: money, amount parsing, versioning, formats, downloads, text."""

    name = "core"
    verbose_name = "noyau"

    def ready(self):
        from . import db  # noqa: F401 - registers the integer fields' `in` lookup
