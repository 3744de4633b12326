"""The référent's dashboard (« tableau de suivi »): the exercices of the collectivités they follow, late reports first.

One row per exercice: collectivité, exercice, report state, deadline and days left or late, warnings (parity and
consistency, the convention's State amount included), amounts (État, collectivité, executed). The rows read the
per-exercice summaries (rapports.ResumeExercice, computed from the read model and kept up to date by every write):
one query for a page of rows, whatever the number of fiches.
"""

from dataclasses import dataclass

from django.utils import timezone

from rapports.enums import STATUTS_REMIS, StatutRapport
from rapports.models import ResumeExercice
from rapports.resumes import calculer_exercices

SUIVI_PAR_PAGE = 20


@dataclass
class RangeeSuivi:
    exercice: object  # conventions.Exercice, with its collectivités
    resume: object  # rapports.ResumeExercice
    aujourd_hui: object

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


def rangees_suivi(exercices, aujourd_hui=None) -> list[RangeeSuivi]:
    """The rows, late reports first, then the nearest deadlines. An exercice without a summary yet (written by a
    bulk load that did not rebuild them) is computed from the read model."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    exercices = list(exercices)
    resumes = {r.exercice_id: r for r in ResumeExercice.objects.filter(exercice_id__in=[e.pk for e in exercices])}
    manquants = [e for e in exercices if e.pk not in resumes]
    if manquants:
        resumes.update({r.exercice_id: r for r in calculer_exercices(manquants)})
    lignes = [RangeeSuivi(e, resumes[e.pk], aujourd_hui) for e in exercices]
    lignes.sort(key=lambda ligne: (not ligne.en_retard, ligne.jours_restants))
    return lignes
