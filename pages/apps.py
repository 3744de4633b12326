from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The pages that read across apps (top layer): home, exercice, fiches list and fiche, history, the référent's
    dashboard and the comparison. They render the read model of an exercice (rapports.selectors)."""

    name = "pages"
    verbose_name = "pages"
