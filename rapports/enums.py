from django.db import models


class StatutRapport(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    TRANSMIS = "transmis", "Transmis"
    RENVOYE = "renvoye", "Renvoyé pour compléments"
    ACCEPTE = "accepte", "Accepté"


# Handed in: the agents have sent the report (it may still be sent back). The one definition, used by the model, the
# dashboard's SQL, the permissions and the reminders.
STATUTS_REMIS = frozenset({StatutRapport.TRANSMIS, StatutRapport.ACCEPTE})
