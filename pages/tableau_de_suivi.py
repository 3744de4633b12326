"""The référent's dashboard (« tableau de suivi »): the exercices of the collectivités they follow, late reports first.

One row per exercice: collectivité, exercice, report state, deadline and days left or late, warnings (parity and
consistency, the convention's State amount included), amounts (État, collectivité, executed). The rows render the
read model (rapports.selectors), loaded without indicators or texts: no column shows them.
"""

from dataclasses import dataclass

from rapports.selectors import charger_exercices

SUIVI_PAR_PAGE = 20


@dataclass
class RangeeSuivi:
    lu: object  # rapports.selectors.ExerciceLu

    @property
    def exercice(self):
        return self.lu.exercice

    @property
    def collectivite(self):
        return self.exercice.signataire.nom + (f" – {self.exercice.territoire}" if self.exercice.territoire else "")

    @property
    def statut(self):
        """The report's state (rapports.enums.StatutRapport), "" before anyone started the report."""
        return self.lu.rapport_enregistre.statut if self.lu.rapport_enregistre else ""

    @property
    def libelle_statut(self):
        rapport = self.lu.rapport_enregistre
        return rapport.get_statut_display() if rapport else "Non commencé"

    @property
    def jours_restants(self):
        return self.lu.jours_restants

    @property
    def en_retard(self):
        return self.lu.en_retard

    @property
    def nb_alertes(self):
        return len(self.lu.alertes)

    @property
    def parite(self):
        return self.lu.parite

    @property
    def convention_concorde(self):
        """The convention's State amount for the exercice's years agrees with the fiches' State parts."""
        return self.lu.convention_concorde

    @property
    def part_etat(self):
        return self.lu.montants.etat

    @property
    def part_collectivite(self):
        return self.lu.montants.collectivite

    @property
    def execute(self):
        """None when no fiche states an executed amount."""
        return self.lu.execute


def rangees_suivi(exercices, aujourd_hui=None) -> list[RangeeSuivi]:
    """The rows, late reports first, then the nearest deadlines."""
    lignes = [
        RangeeSuivi(lu)
        for lu in charger_exercices(
            exercices, indicateurs=False, textes=False, sections=False, convention=True, aujourd_hui=aujourd_hui
        )
    ]
    lignes.sort(key=lambda ligne: (not ligne.en_retard, ligne.jours_restants))
    return lignes
