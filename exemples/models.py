"""What the seed loader records."""

from django.db import models


class ChargementExemples(models.Model):
    """Fingerprint of the seed files last loaded: loading the same files again changes nothing."""

    empreinte = models.CharField("empreinte des fichiers", max_length=64)
    charge_le = models.DateTimeField("chargé le", auto_now=True)

    class Meta:
        db_table = "conventions_chargementexemples"  # created when it lived in conventions
        verbose_name = "chargement des données d'exemple"
        verbose_name_plural = "chargements des données d'exemple"

    def __str__(self):
        return f"{self.charge_le:%d/%m/%Y %H:%M} ({self.empreinte[:12]})"
