from django.apps import AppConfig


class ImportationConfig(AppConfig):
    """A convention's workbook imported (template, checks, preview, writing), top layer beside pages and exemples."""

    name = "importation"
    verbose_name = "import de classeurs"
