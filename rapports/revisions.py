"""Which writes change what a report's PDF says, and what follows them.

Every save or deletion of a row the PDF is drawn from bumps its exercice's content revision in the same transaction
(`conventions.revisions.contenu_modifie`, one UPDATE per transaction and parent row). Once things settle (no change
for `CALPAE_PDF_PREPARE_APRES_SECONDES`), a background job lays out the PDF of the revision then current, so that
asking for it serves a file already made (rapports.views.pdf). Comments, events, transmitted versions and prepared
PDFs are not the report's content: they bump nothing.
"""

import datetime

from django.conf import settings
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.utils import timezone

from actions.models import Action, Fiche, SectionTexte
from budgets.models import Budget, LigneBudget, Part, TotalDeclare
from conventions.models import (
    Collectivite,
    Convention,
    Deliberation,
    Exercice,
    Groupe,
    MontantEtatAnnuel,
    ObjectifTerritorial,
    Signataire,
)
from conventions.revisions import contenu_modifie, exercices_modifies
from core.taches import mettre_en_file
from indicateurs.models import Indicateur, Jalon, TableauIndicateurs, ValeurIndicateur

from .models import EntreeSommaire, Rapport, SectionRapport

# For each model the PDF is drawn from: the exercices a row of it belongs to, as a filter on Exercice (or a list of
# them) built from the row's own columns (no query to find them; the UPDATE joins).
EXERCICES_DE = {
    Exercice: lambda o: {"pk": o.pk},
    Convention: lambda o: {"convention": o.pk},
    Collectivite: lambda o: [{"convention__collectivite": o.pk}, {"collectivite_signataire": o.pk}],
    Signataire: lambda o: {"convention": o.convention_id},
    Deliberation: lambda o: {"convention": o.convention_id},
    MontantEtatAnnuel: lambda o: {"convention": o.convention_id},
    ObjectifTerritorial: lambda o: {"convention__collectivite": o.collectivite_id},
    Groupe: lambda o: {"pk": o.exercice_id},
    Action: lambda o: {"fiches__action": o.pk},
    Fiche: lambda o: {"pk": o.exercice_id},
    SectionTexte: lambda o: {"fiches": o.fiche_id},
    Budget: lambda o: {"fiches": o.fiche_id},
    LigneBudget: lambda o: {"fiches__budgets": o.budget_id},
    Part: lambda o: {"fiches__budgets": o.budget_id},
    TotalDeclare: lambda o: {"pk": o.exercice_id},
    TableauIndicateurs: lambda o: {"pk": o.exercice_id},
    Jalon: lambda o: {"tableaux": o.tableau_id},
    Indicateur: lambda o: {"tableaux": o.tableau_id},
    ValeurIndicateur: lambda o: {"tableaux__jalons": o.jalon_id},
    Rapport: lambda o: {"pk": o.exercice_id},
    SectionRapport: lambda o: {"rapport": o.rapport_id},
    EntreeSommaire: lambda o: {"rapport": o.rapport_id},
}


def _ecrit(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata, a restored backup: the rows come as they were, revision included
        return
    filtres = EXERCICES_DE[sender](instance)
    for filtre in [filtres] if isinstance(filtres, dict) else filtres:
        if None not in filtre.values():
            contenu_modifie(**filtre)


def _liens_fiches_tableaux(sender, instance, action, reverse, **kwargs):
    if action in ("post_add", "post_remove", "pre_clear"):
        contenu_modifie(pk=instance.exercice_id)


def _programmer(sender, exercices, **kwargs):
    """Once a change is committed: the PDF of each exercice changed, laid out when nothing changed for a while (the
    job does nothing if a newer change came in the meantime: that one has its own job)."""
    from .tasks import preparer_pdf

    delai = settings.CALPAE_PDF_PREPARE_APRES_SECONDES
    if delai is None or not preparer_pdf.get_backend().supports_defer:  # a queue that cannot wait runs nothing ahead
        return
    options = {"run_after": timezone.now() + datetime.timedelta(seconds=delai)}
    if preparer_pdf.get_backend().supports_priority:
        options["priority"] = PRIORITE  # a PDF someone waits for is laid out first
    tache = preparer_pdf.using(**options)
    for exercice_id, modifie_le in exercices.items():
        # One commit may name an exercice several times (a budget and its lines): one job for one state.
        if modifie_le is not None and _PROGRAMMES.get(exercice_id) != modifie_le:
            _PROGRAMMES[exercice_id] = modifie_le
            mettre_en_file(tache, exercice_id, modifie_le.isoformat())


# Below the default (0) of the jobs someone waits for (a PDF asked for, a transmitted version's PDF): under load the
# worker lays those out first (tried with benchmarks/charge.py: without it, PDFs asked for queued behind these).
PRIORITE = -10
_PROGRAMMES = {}  # exercice id: the last change a job was enqueued for, by this process


def brancher():
    """Connect the handlers (RapportsConfig.ready)."""
    for modele in EXERCICES_DE:
        post_save.connect(_ecrit, sender=modele, dispatch_uid=f"revision-save-{modele._meta.label}")
        pre_delete.connect(_ecrit, sender=modele, dispatch_uid=f"revision-delete-{modele._meta.label}")
    m2m_changed.connect(_liens_fiches_tableaux, sender=TableauIndicateurs.fiches.through, dispatch_uid="revision-m2m")
    exercices_modifies.connect(_programmer, dispatch_uid="revision-pdf")
