"""A workbook checked and previewed, waiting for its author to confirm the import (a few megabytes at most)."""

from django.conf import settings
from django.db import models

from core.db import PublicIdModel


class ImportEnAttente(PublicIdModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imports_en_attente")
    nom_fichier = models.CharField("nom du fichier", max_length=255)
    contenu = models.BinaryField("contenu")
    created_at = models.DateTimeField("déposé le", auto_now_add=True)

    class Meta:
        verbose_name = "import en attente de confirmation"
        verbose_name_plural = "imports en attente de confirmation"

    def __str__(self):
        return self.nom_fichier
