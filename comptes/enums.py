from django.db import models


class Role(models.TextChoices):
    AGENT = "agent", "Agent départemental"
    REFERENT = "referent", "Référent préfecture"
    ADMINISTRATEUR = "administrateur", "Administrateur"
