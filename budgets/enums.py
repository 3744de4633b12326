from django.db import models


class NatureBudget(models.TextChoices):
    PREVISIONNEL = "previsionnel", "Budget prévisionnel"
    REEL_INDICATIF = "reel_indicatif", "Budget réel à titre indicatif"
    EXECUTE = "execute", "Budget exécuté"


class TypeDepense(models.TextChoices):
    NOUVELLES_DEPENSES = "nouvelles_depenses", "Nouvelles dépenses"
    VALORISATION = "valorisation", "Valorisation"


class BaseMontant(models.TextChoices):
    EXERCICE = "exercice", "Montant de l'exercice"
    ANNEE_PLEINE = "annee_pleine", "Montant en année pleine"
