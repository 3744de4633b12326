from django.db import models


class Role(models.TextChoices):
    AGENT = "agent", "Agent départemental"
    REFERENT = "referent", "Référent préfecture"
    ADMINISTRATEUR = "administrateur", "Administrateur"
    PILOTAGE_NATIONAL = "pilotage_national", "Pilotage national"
    PILOTAGE_REGIONAL = "pilotage_regional", "Pilotage régional"
