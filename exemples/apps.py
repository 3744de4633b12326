from django.apps import AppConfig


class ExemplesConfig(AppConfig):
    """The seed loader: writes the transcribed documents of fixtures/seeds/ into every app (top layer)."""

    name = "exemples"
    verbose_name = "données d'exemple"
