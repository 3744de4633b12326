"""The référent's dashboard: the exercices of the collectivités they follow, late reports first.

One row per exercice: collectivité, exercice, report state, deadline and days left or late, warnings (parity and
consistency), amounts (État, collectivité, executed). A fixed number of queries (budgets.coherence.charger).
"""

import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Q, Value, When

from budgets.calculs import Montants, execution, montant_execute
from budgets.coherence import PARITE_EXERCICE, PARITE_FICHE, charger, verifier
from budgets.enums import NatureBudget

from .enums import EtatRapport

SUIVI_PAR_PAGE = 20
ETATS_REMIS = (EtatRapport.TRANSMIS, EtatRapport.ACCEPTE)


def en_ordre_de_suivi(exercices, aujourd_hui=None):
    """The exercices annotated with `en_retard` (deadline passed, report neither transmitted nor accepted), late
    ones first, then the nearest deadlines: the same rule as `LigneSuivi.en_retard`, in SQL."""
    aujourd_hui = aujourd_hui or datetime.date.today()
    remis = Q(rapport__isnull=False) & Q(rapport__etat__in=ETATS_REMIS)
    retard = Q(date_limite_rapport__lt=aujourd_hui) & ~remis
    return exercices.annotate(
        en_retard=Case(When(retard, then=Value(True)), default=Value(False), output_field=BooleanField())
    ).order_by("-en_retard", "date_limite_rapport", "pk")


@dataclass
class LigneSuivi:
    exercice: object
    etat: str  # EtatRapport value, "" before anyone started the report
    libelle_etat: str
    jours_restants: int
    nb_alertes: int
    parite: bool
    etat_montant: object
    collectivite_montant: object
    execute: object  # None when no fiche states an executed amount

    @property
    def collectivite(self):
        return self.exercice.signataire.nom + (f" – {self.exercice.territoire}" if self.exercice.territoire else "")

    @property
    def en_retard(self):
        return self.jours_restants < 0 and self.etat not in ETATS_REMIS


def lignes_suivi(exercices, aujourd_hui=None) -> list[LigneSuivi]:
    """The rows, from the budgets and their checks (seven queries; the indicators are not read: no column shows
    them)."""
    aujourd_hui = aujourd_hui or datetime.date.today()
    lignes = []
    for donnees in charger(exercices):
        exercice, rapport = donnees.exercice, donnees.rapport
        alertes = verifier(donnees, aujourd_hui=aujourd_hui)
        par_fiche = [donnees.montants(f) for f in donnees.fiches]
        montants = sum(par_fiche, Montants())
        executee = execution(
            (montant_execute(f.budgets.get(NatureBudget.EXECUTE), exercice.annees), m.total)
            for f, m in zip(donnees.fiches, par_fiche, strict=True)
        )
        lignes.append(
            LigneSuivi(
                exercice=exercice,
                etat=rapport.etat if rapport else "",
                libelle_etat=rapport.get_etat_display() if rapport else "Non commencé",
                jours_restants=(exercice.date_limite_rapport - aujourd_hui).days,
                nb_alertes=len(alertes),
                parite=not any(a.regle in (PARITE_FICHE, PARITE_EXERCICE) for a in alertes),
                etat_montant=montants.etat,
                collectivite_montant=montants.collectivite,
                execute=executee.execute,
            )
        )
    # Late reports first, then the nearest deadlines.
    lignes.sort(key=lambda ligne: (not ligne.en_retard, ligne.jours_restants))
    return lignes
