from django.db import models


class TypeCollectivite(models.TextChoices):
    DEPARTEMENT = "departement", "Département"
    COLLECTIVITE_SPECIFIQUE = "collectivite_specifique", "Collectivité à statut particulier"
    METROPOLE = "metropole", "Métropole"
    REGION = "region", "Région"


class Partie(models.TextChoices):
    """A party: the signatories of a convention's acts, and who funds a share of a budget (`Part.financeur`)."""

    ETAT = "etat", "État"
    COLLECTIVITE = "collectivite", "Collectivité"
    AUTRE = "autre", "Autre partie"


class TypeActe(models.TextChoices):
    CONVENTION = "convention", "Convention initiale"
    AVENANT = "avenant", "Avenant"
    PLAN_ACTION = "plan_action", "Plan d'action"


class NatureMontant(models.TextChoices):
    PREVISIONNEL = "previsionnel", "Prévisionnel"
    DEFINITIF = "definitif", "Définitif"


class TypeGroupe(models.TextChoices):
    SOCLE = "socle", "Engagements du socle (annexe A)"
    INITIATIVE = "initiative", "Initiatives départementales (annexe B)"
    AUTRE = "autre", "Autre"
