"""Keeps the per-exercice summaries (rapports.resumes) up to date: every save or delete of a model an exercice's
figures come from rewrites the summary of its exercice, in the same transaction. Connected in rapports/apps.py:
the apps below this one know nothing of it (see docs/architecture.md)."""

from django.db.models.signals import post_delete, post_save, pre_delete

from actions.models import Fiche
from budgets.models import Budget, LigneBudget, Part, TotalDeclare
from conventions.models import Exercice, Groupe, MontantEtatAnnuel

from . import resumes
from .models import Rapport, VersionTransmise


def _exercice_du_budget(budget_id):
    return Budget.objects.filter(pk=budget_id).values_list("fiche__exercice_id", flat=True).first()


# model -> the exercices an instance's change touches
EXERCICES_TOUCHES = {
    Exercice: lambda o: [o.pk],
    Groupe: lambda o: [o.exercice_id],
    Fiche: lambda o: [o.exercice_id],
    TotalDeclare: lambda o: [o.exercice_id],
    Budget: lambda o: [Fiche.objects.filter(pk=o.fiche_id).values_list("exercice_id", flat=True).first()],
    LigneBudget: lambda o: [_exercice_du_budget(o.budget_id)],
    Part: lambda o: [_exercice_du_budget(o.budget_id)],
    Rapport: lambda o: [o.exercice_id],
    VersionTransmise: lambda o: [Rapport.objects.filter(pk=o.rapport_id).values_list("exercice_id", flat=True).first()],
    MontantEtatAnnuel: lambda o: list(
        Exercice.objects.filter(convention_id=o.convention_id).values_list("pk", flat=True)
    ),
}


def _enregistre(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the command rebuilds
        return
    resumes.a_mettre_a_jour(EXERCICES_TOUCHES[sender](instance))


def _avant_suppression_exercice(sender, instance, **kwargs):
    resumes.exercice_en_suppression(instance.pk)


def _supprime(sender, instance, **kwargs):
    if sender is Exercice:
        resumes.exercice_en_suppression(instance.pk, fin=True)
        return
    resumes.a_mettre_a_jour(EXERCICES_TOUCHES[sender](instance))


def connecter():
    pre_delete.connect(_avant_suppression_exercice, sender=Exercice, dispatch_uid="resume-exercice-pre")
    for modele in EXERCICES_TOUCHES:
        post_save.connect(_enregistre, sender=modele, dispatch_uid=f"resume-{modele.__name__}")
        post_delete.connect(_supprime, sender=modele, dispatch_uid=f"resume-suppr-{modele.__name__}")
