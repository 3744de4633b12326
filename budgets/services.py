"""Writes to a budget: atomic, keyword-only arguments, cleaned values (never forms); the views read forms and render."""

from django.db import transaction

from core.formulaires import Saisie, appliquer_saisies
from core.versions import save_if_version

from .models import Budget, LigneBudget, Part


@transaction.atomic
def budget_enregistrer(
    *,
    budget: Budget,
    champs: dict,
    parts: list[Saisie],
    lignes: list[Saisie],
    version_read: int,
    parts_lignes: list[Saisie] | None = None,
) -> Budget:
    """Save a budget (`champs`) with its parts, lines and the parts of its lines, if nobody saved this budget since
    `version_read` (NEW: it did not exist when read). Each budget has its own version. Raises
    core.versions.StaleVersion otherwise, having written nothing. The lines' parts are saved before the lines: a
    part of a line deleted now goes with it; `parts_lignes` None leaves them as they are."""

    def ecrire():
        for nom, valeur in champs.items():
            setattr(budget, nom, valeur)
        budget.save()
        appliquer_saisies(parts, Part, budget=budget, ligne=None)
        if parts_lignes is not None:
            _enregistrer_parts_lignes(parts_lignes, budget)
        _enregistrer_lignes(lignes, budget)

    return save_if_version(budget, version_read, ecrire)


def _enregistrer_parts_lignes(saisies, budget):
    """The parts attached to lines: the form gives the line's id, the model checks it is one of the budget's."""
    for saisie in saisies:
        if "ligne" in saisie.champs:
            saisie.champs["ligne_id"] = saisie.champs.pop("ligne")
    appliquer_saisies(saisies, Part, valider=("budget", "ligne"), budget=budget)


def _enregistrer_lignes(saisies, budget):
    """The lines in the user's order (`ordre` is their rank); an unchanged line is saved only when it moved."""
    for saisie in saisies:
        if saisie.supprimer:
            if saisie.objet is not None:
                saisie.objet.delete()
            continue
        ligne = saisie.objet or LigneBudget(budget=budget)
        if saisie.objet is not None and not saisie.modifiee and ligne.ordre == saisie.rang:
            continue
        for nom, valeur in saisie.champs.items():
            setattr(ligne, nom, valeur)
        ligne.budget = budget
        ligne.ordre = saisie.rang
        ligne.save()
