from django.db import models


class EtatRapport(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    TRANSMIS = "transmis", "Transmis"
    RENVOYE = "renvoye", "Renvoyé pour compléments"
    ACCEPTE = "accepte", "Accepté"
