from django.db import models


class EtatRapport(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    TRANSMIS = "transmis", "Transmis"
    RENVOYE = "renvoye", "Renvoyé pour compléments"
    ACCEPTE = "accepte", "Accepté"


# Handed in: the agents have sent the report (it may still be sent back). The one definition, used by the model, the
# dashboard's SQL, the permissions and the reminders.
ETATS_REMIS = frozenset({EtatRapport.TRANSMIS, EtatRapport.ACCEPTE})
# The agents may change the report's texts and the exercice's figures.
ETATS_MODIFIABLES = frozenset({EtatRapport.BROUILLON, EtatRapport.RENVOYE})
