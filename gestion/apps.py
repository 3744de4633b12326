from django.apps import AppConfig


class GestionConfig(AppConfig):
    """The collectivité's own management pages: conventions, fiches, indicator tables (top layer)."""

    name = "gestion"
    verbose_name = "gestion des conventions"
