"""Writes to a budget: atomic, with keyword-only arguments; the views only read forms and render."""

from django.db import transaction

from actions.models import Fiche
from core.verrou import VersionPerimee, prendre_version


@transaction.atomic
def budget_enregistrer(*, fiche, form, parts, lignes, version_lue, parts_lignes=None):
    """Save a budget with its parts, lines and the parts of its lines (valid forms), if nobody saved the fiche since
    `version_lue`: a fiche's texts and budgets share its version. Raises VersionPerimee otherwise, having written
    nothing. The lines' parts are saved before the lines: a part of a line deleted now goes with it."""
    if not prendre_version(Fiche, fiche.pk, version_lue):
        raise VersionPerimee
    fiche.version = version_lue + 1
    fiche.save()  # the fiche's history records who saved its budget, and when
    budget = form.save()
    _enregistrer_parts(parts, budget)
    if parts_lignes is not None:
        _enregistrer_parts_lignes(parts_lignes, budget)
    _enregistrer_lignes(lignes, budget)
    return budget


def _enregistrer_parts(parts, budget):
    parts.instance = budget
    for objet in parts.save(commit=False):
        objet.budget = budget
        objet.ligne = None
        objet.save()
    for objet in parts.deleted_objects:
        objet.delete()


def _enregistrer_parts_lignes(parts_lignes, budget):
    parts_lignes.instance = budget
    for objet in parts_lignes.save(commit=False):  # the form set each part's line (PartLigneForm.clean)
        objet.budget = budget
        objet.full_clean(exclude=["budget", "ligne"])
        objet.save()
    for objet in parts_lignes.deleted_objects:
        objet.delete()


def _enregistrer_lignes(lignes, budget):
    lignes.instance = budget
    lignes.save(commit=False)
    for objet in lignes.deleted_objects:
        objet.delete()
    for rang, f in enumerate(lignes.ordered_forms, start=1):
        if f.instance.pk or f.has_changed():
            f.instance.budget = budget
            f.instance.ordre = rang
            f.instance.save()
