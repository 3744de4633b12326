"""The référent's dashboard (« tableau de suivi »): the exercices of the collectivités they follow, reports waiting for
their decision first, then late ones.

One row per exercice: collectivité, exercice, report state, deadline and days left or late, warnings (parity and
consistency, the convention's State amount included), amounts (État, collectivité, executed). The rows render the
read model (rapports.selectors), loaded without indicators or texts: no column shows them.
"""

from dataclasses import dataclass

from rapports.etat import decisions_refaction, etats_rapports
from rapports.selectors import charger_exercices

SUIVI_PAR_PAGE = 20


@dataclass
class RangeeSuivi:
    lu: object  # rapports.selectors.ExerciceLu
    etat: object = None  # rapports.etat.EtatRapport: the status line, the « transmis en retard » mark
    decision_refaction: object = None  # rapports.DecisionRefaction, or None

    @property
    def ligne_statut(self):
        return self.etat.ligne

    @property
    def a_examiner(self):
        return self.etat.a_examiner

    @property
    def transmis_en_retard(self):
        return self.etat.transmis_en_retard

    @property
    def credit_non_consomme(self):
        """The unspent State credit, the figure a réfaction decision rests on."""
        return self.lu.credit_non_consomme

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


def _ordre(ligne):
    """rapports.selectors.ordre_du_referent, on the loaded rows."""
    depuis = ligne.etat.transmis_le if ligne.a_examiner else None
    return (not ligne.a_examiner, depuis.timestamp() if depuis else 0, not ligne.en_retard, ligne.jours_restants)


def rangees_suivi(exercices, aujourd_hui=None) -> list[RangeeSuivi]:
    """The rows, reports waiting for the référent's decision first (oldest transmission first), then late reports,
    then the nearest deadlines."""
    exercices = list(exercices)
    etats = etats_rapports(exercices)
    decisions = decisions_refaction(exercices)
    lignes = [
        RangeeSuivi(lu, etats[lu.exercice.pk], decisions.get(lu.exercice.pk))
        for lu in charger_exercices(
            exercices, indicateurs=False, textes=False, sections=False, convention=True, aujourd_hui=aujourd_hui
        )
    ]
    lignes.sort(key=_ordre)
    return lignes
