from django.db import models


class Evolution(models.TextChoices):
    """What a fiche is against the action it continues (the Pacte des solidarités' plans, seed 003)."""

    NON_PRECISEE = "", "Non précisée"
    NOUVELLE = "nouvelle", "Nouvelle"
    RENFORCEE = "renforcee", "Renforcée"
    POURSUIVIE = "poursuivie", "Poursuivie"
