"""The référent's dashboard (« tableau de suivi »): the exercices of the collectivités they follow, reports waiting for
their decision first, then late ones.

One row per exercice: collectivité, exercice, report state, deadline and days left or late, warnings (parity and
consistency, the convention's State amount included), amounts (État, collectivité, executed). The rows read the
per-exercice summaries (rapports.ResumeExercice, computed from the read model and kept up to date by every write):
one query for a page of rows, whatever the number of fiches.
"""

from dataclasses import dataclass

from django.utils import timezone

from rapports.enums import STATUTS_REMIS, StatutRapport
from rapports.etat import decisions_refaction, etats_rapports
from rapports.models import ResumeExercice
from rapports.resumes import calculer_exercices

SUIVI_PAR_PAGE = 20


@dataclass
class RangeeSuivi:
    exercice: object  # conventions.Exercice, with its collectivités
    resume: object  # rapports.ResumeExercice
    aujourd_hui: object
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
        """The unspent State credit, the figure a réfaction decision rests on (budgets.calculs, summed)."""
        return self.resume.credit_non_consomme

    @property
    def collectivite(self):
        return self.exercice.signataire.nom + (f" – {self.exercice.territoire}" if self.exercice.territoire else "")

    @property
    def statut(self):
        """The report's state (rapports.enums.StatutRapport), "" before anyone started the report."""
        return self.resume.statut

    @property
    def libelle_statut(self):
        return StatutRapport(self.statut).label if self.statut else "Non commencé"

    @property
    def jours_restants(self):
        return (self.resume.date_limite - self.aujourd_hui).days

    @property
    def en_retard(self):
        """rapports.selectors.ExerciceLu.en_retard, on the summary."""
        return self.jours_restants < 0 and self.statut not in STATUTS_REMIS

    @property
    def nb_alertes(self):
        """The consistency warnings, and the deadline's when it passed (it depends on the day: not stored)."""
        return self.resume.nb_alertes + (1 if self.en_retard else 0)

    @property
    def parite(self):
        return self.resume.parite

    @property
    def convention_concorde(self):
        """The convention's State amount for the exercice's years agrees with the fiches' State parts."""
        return self.resume.convention_concorde

    @property
    def part_etat(self):
        return self.resume.part_etat

    @property
    def part_collectivite(self):
        return self.resume.part_collectivite

    @property
    def execute(self):
        """None when no fiche states an executed amount."""
        return self.resume.execute


def _ordre(ligne):
    """rapports.selectors.ordre_du_referent, on the loaded rows."""
    depuis = ligne.etat.transmis_le if ligne.a_examiner else None
    return (not ligne.a_examiner, depuis.timestamp() if depuis else 0, not ligne.en_retard, ligne.jours_restants)


def rangees_suivi(exercices, aujourd_hui=None) -> list[RangeeSuivi]:
    """The rows, reports waiting for the référent's decision first (oldest transmission first), then late reports,
    then the nearest deadlines. An exercice without a summary yet (written by a bulk load that did not rebuild them)
    is computed from the read model."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    exercices = list(exercices)
    resumes = {r.exercice_id: r for r in ResumeExercice.objects.filter(exercice_id__in=[e.pk for e in exercices])}
    manquants = [e for e in exercices if e.pk not in resumes]
    if manquants:
        resumes.update({r.exercice_id: r for r in calculer_exercices(manquants)})
    etats = etats_rapports(exercices)
    decisions = decisions_refaction(exercices)
    lignes = [RangeeSuivi(e, resumes[e.pk], aujourd_hui, etats[e.pk], decisions.get(e.pk)) for e in exercices]
    lignes.sort(key=_ordre)
    return lignes
