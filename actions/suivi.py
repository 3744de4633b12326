"""Where an exercice stands: per fiche its planned amounts, parity, warnings and what is missing (no executed budget,
indicators without a value for the current jalon); for the exercice, its deadline and the open warnings.

Thirteen queries for any number of exercices and fiches (budgets.coherence.charger, indicateurs.grilles).
"""

import datetime
from dataclasses import dataclass, field

from django.urls import reverse

from budgets.calculs import Montants
from budgets.coherence import charger, verifier
from budgets.enums import NatureBudget
from indicateurs.grilles import manquants as manquants_indicateurs


@dataclass
class SuiviFiche:
    fiche: object
    montants: Montants
    total_prevu: object
    execute_renseigne: bool
    manquants: list = field(default_factory=list)  # indicateurs.grilles.Manquant: no value for the current jalon
    alertes: list = field(default_factory=list)

    @property
    def parite(self):
        return self.montants.parite

    @property
    def complete(self):
        return self.execute_renseigne and not self.manquants

    @property
    def nb_alertes(self):
        return len(self.alertes)

    @property
    def a_faire(self):
        """What is missing, in words."""
        points = []
        if not self.execute_renseigne:
            points.append("budget exécuté non renseigné")
        if self.manquants:
            n = len(self.manquants)
            points.append(f"{n} indicateur{'s' if n > 1 else ''} sans valeur pour le dernier jalon")
        return points


@dataclass
class SuiviExercice:
    exercice: object
    donnees: object
    fiches: list
    alertes: list
    aujourd_hui: datetime.date

    @property
    def rapport(self):
        return self.donnees.rapport

    @property
    def jours_restants(self):
        return (self.exercice.date_limite_rapport - self.aujourd_hui).days

    @property
    def alertes_exercice(self):
        return [a for a in self.alertes if a.fiche_id is None]

    @property
    def fiches_incompletes(self):
        return [f for f in self.fiches if not f.complete]

    @property
    def montants(self):
        return sum((f.montants for f in self.fiches), Montants())


def _execute_renseigne(fiche_chargee):
    execute = fiche_chargee.budgets.get(NatureBudget.EXECUTE)
    if execute is None:
        return False
    budget = execute.budget
    return (
        budget.total is not None
        or bool(budget.texte.strip())
        or any(p.montant is not None or p.texte.strip() for p in execute.parts)
        or any(ligne.montant is not None for ligne in execute.lignes)
    )


def suivre(exercices, aujourd_hui=None) -> list[SuiviExercice]:
    aujourd_hui = aujourd_hui or datetime.date.today()
    exercices = list(exercices)
    absents = manquants_indicateurs(exercices)
    suivis = []
    for donnees in charger(exercices):
        exercice = donnees.exercice
        alertes = verifier(donnees, aujourd_hui=aujourd_hui)
        manquants = {}
        for fiche_ids, lignes in absents.get(exercice.pk, []):
            for fiche_id in fiche_ids:
                manquants.setdefault(fiche_id, []).extend(lignes)
        fiches = []
        for fiche_chargee in donnees.fiches:
            fiche = fiche_chargee.fiche
            prev = fiche_chargee.previsionnel()
            fiches.append(
                SuiviFiche(
                    fiche=fiche,
                    montants=donnees.montants(fiche_chargee),
                    total_prevu=prev.budget.total if prev else None,
                    execute_renseigne=_execute_renseigne(fiche_chargee),
                    manquants=manquants.get(fiche.pk, []),
                    alertes=[a for a in alertes if a.fiche_id == fiche.pk],
                )
            )
        suivis.append(SuiviExercice(exercice, donnees, fiches, alertes, aujourd_hui))
    return suivis


@dataclass
class AlerteLiee:
    alerte: object
    url: str
    fiche: object | None


def alertes_liees(suivi) -> list[AlerteLiee]:
    """Each warning with the page where it is fixed: the fiche's budget, the fiche, or the exercice's synthesis."""
    fiches = {f.fiche.pk: f.fiche for f in suivi.fiches}
    liees = []
    for alerte in suivi.alertes:
        fiche = fiches.get(alerte.fiche_id)
        if fiche is None:
            url = reverse("conventions:exercice", args=[suivi.exercice.public_id]) + "#alertes"
        elif alerte.budget_id:
            url = reverse("actions:fiche", args=[fiche.public_id]) + "#budgets"
        else:
            url = reverse("actions:fiche", args=[fiche.public_id]) + "#alertes"
        liees.append(AlerteLiee(alerte, url, fiche))
    return liees
