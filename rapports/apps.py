from django.apps import AppConfig


class RapportsConfig(AppConfig):
    name = "rapports"
    verbose_name = "Rapports d'exécution"

    def ready(self):
        from .revisions import brancher

        brancher()
