from django.apps import AppConfig


class AvenantsConfig(AppConfig):
    """The yearly step: the next avenant prepared from an exercice, and what it changes (top layer)."""

    name = "avenants"
    verbose_name = "avenants"
