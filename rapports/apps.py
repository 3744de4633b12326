from django.apps import AppConfig


class RapportsConfig(AppConfig):
    name = "rapports"
    verbose_name = "Rapports d'exécution"

    def ready(self):
        from . import signaux
        from .revisions import brancher

        signaux.connecter()  # the per-exercice summaries (rapports.resumes)
        brancher()  # the exercices' content revisions (conventions.revisions), for the PDFs laid out ahead of time
