from django.db import models


class TypeJalon(models.TextChoices):
    SITUATION = "situation", "Situation"
    OBJECTIF = "objectif", "Objectif"
    REALISE = "realise", "Réalisé"
    RESULTAT = "resultat", "Résultat"
    AUTRE = "autre", "Autre"


class TypeValeur(models.TextChoices):
    """How an indicator value was read (see indicateurs/parsing.py)."""

    VIDE = "vide", "Vide"
    NOMBRE = "nombre", "Nombre"
    TAUX = "taux", "Taux"
    DUREE = "duree", "Durée"
    MONTANT = "montant", "Montant"
    CODE = "code", "Code"
    TEXTE = "texte", "Texte libre"
