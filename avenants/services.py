"""The yearly step: prepare the next avenant from an exercice. The new exercice gets its period and deadline, its
groups, the fiches carried forward (same lineage, texts, planned budget with its parts and lines as starting values)
and their indicator tables with the new period's columns (dates and years moved on, objectives kept, measures left
to fill). The agent then keeps, changes, ends (does not carry) or adds fiches.

A fixed number of queries to read the exercice, and writes in bulk: a 60-fiche exercice is prepared in well under
2 s (benchmarks/avenant.py).
"""

import datetime
import re
import uuid

from django.db import transaction

from actions.models import Fiche, SectionTexte
from budgets.enums import NatureBudget
from budgets.models import Budget, LigneBudget, Part
from conventions.enums import TypeActe
from conventions.models import Exercice, Groupe, date_limite_par_defaut
from indicateurs.enums import TypeJalon
from indicateurs.models import Indicateur, Jalon, TableauIndicateurs, ValeurIndicateur

ANNEE = re.compile(r"\b(20\d{2})\b")


def decaler(jour: datetime.date | None, annees: int) -> datetime.date | None:
    """The same day `annees` later (28 February for a 29 February that does not exist)."""
    if jour is None:
        return None
    try:
        return jour.replace(year=jour.year + annees)
    except ValueError:
        return jour.replace(year=jour.year + annees, day=28)


def parents_d_abord(objets):
    """Objects of a tree (`parent_id`) with every parent before its children, in their order otherwise (a database
    may sort null parents last)."""
    restants, vus, ordre = list(objets), set(), []
    while restants:
        suivants = [o for o in restants if o.parent_id is None or o.parent_id in vus]
        if not suivants:  # a cycle or a parent outside the set: keep the rest as it is
            suivants = restants
        ordre += suivants
        vus |= {o.pk for o in suivants}
        restants = [o for o in restants if o.pk not in vus]
    return ordre


def decaler_texte(texte: str, annees: int) -> str:
    """« Réalisé au 31/12/2019 », « Objectif 2019-2020 » → the same years moved on."""
    return ANNEE.sub(lambda m: str(int(m.group(1)) + annees), texte)


@transaction.atomic
def avenant_preparer(
    *, exercice, libelle, date_debut, date_fin, date_limite_rapport=None, fiches=None, intitule_acte=""
) -> Exercice:
    """The next exercice of `exercice`'s convention. `fiches`: the fiches to carry forward (all by default)."""
    annees = max(date_debut.year - exercice.date_debut.year, 0)
    nouvel = Exercice(
        convention=exercice.convention,
        libelle=libelle,
        acte=TypeActe.AVENANT,
        intitule_acte=intitule_acte or f"Avenant {libelle}",
        collectivite_signataire=exercice.collectivite_signataire,
        territoire=exercice.territoire,
        date_debut=date_debut,
        date_fin=date_fin,
        date_limite_rapport=date_limite_rapport or date_limite_par_defaut(date_fin),
        ordre=exercice.ordre + 1,
    )
    nouvel.full_clean(exclude=["convention", "collectivite_signataire"])
    nouvel.save()

    groupes = {}
    for groupe in parents_d_abord(Groupe.objects.filter(exercice=exercice).order_by("ordre", "pk")):
        ancien = groupe.pk
        groupe.pk, groupe.exercice = None, nouvel
        groupe.parent = groupes.get(groupe.parent_id)
        groupe.save()
        groupes[ancien] = groupe

    retenues = list(Fiche.objects.filter(exercice=exercice).order_by("ordre"))
    if fiches is not None:
        choisies = {f.pk for f in fiches}
        retenues = [f for f in retenues if f.pk in choisies]
    nouvelles = {}
    for fiche in retenues:
        ancienne = fiche.pk
        fiche.pk, fiche.public_id, fiche.exercice, fiche.version = None, uuid.uuid4(), nouvel, 1
        fiche.groupe = groupes[fiche.groupe_id]
        fiche._state.adding = True
        fiche.save()
        nouvelles[ancienne] = fiche
    SectionTexte.objects.bulk_create(
        SectionTexte(fiche=nouvelles[s.fiche_id], titre=s.titre, texte=s.texte, ordre=s.ordre)
        for s in SectionTexte.objects.filter(fiche_id__in=nouvelles)
    )
    _budgets(nouvelles, nouvel)
    _indicateurs(exercice, nouvel, nouvelles, annees)
    return nouvel


def _budgets(nouvelles, nouvel):
    """The planned budget of each fiche carried forward, its lines and parts: the starting values of the avenant."""
    budgets = {}
    for budget in Budget.objects.filter(fiche_id__in=nouvelles, nature=NatureBudget.PREVISIONNEL):
        ancien = budget.pk
        budgets[ancien] = Budget.objects.create(
            fiche=nouvelles[budget.fiche_id],
            nature=NatureBudget.PREVISIONNEL,
            intitule=f"Budget prévisionnel {nouvel.libelle}",
            total=budget.total,
            total_texte=budget.total_texte,
            texte=budget.texte,
        )
    lignes = {}
    for ligne in LigneBudget.objects.filter(budget_id__in=budgets).order_by("ordre", "pk"):
        ancienne = ligne.pk
        ligne.pk, ligne.budget = None, budgets[ligne.budget_id]
        ligne._state.adding = True
        ligne.save()
        lignes[ancienne] = ligne
    for part in Part.objects.filter(budget_id__in=budgets).order_by("ordre", "pk"):
        part.pk, part.budget = None, budgets[part.budget_id]
        part.ligne = lignes.get(part.ligne_id)
        part._state.adding = True
        part.save()


def _indicateurs(exercice, nouvel, nouvelles, annees):
    """Each table serving a fiche carried forward, for the new period: its columns dated `annees` later, its
    indicators, its objectives; the rows of each dimension value kept (empty cells), measures left to fill."""
    tableaux = (
        TableauIndicateurs.objects.filter(exercice=exercice, fiches__in=list(nouvelles))
        .distinct()
        .prefetch_related("fiches")
    )
    for tableau in tableaux:
        fiches = [nouvelles[f.pk] for f in tableau.fiches.all() if f.pk in nouvelles]
        ancien = tableau.pk
        tableau.pk, tableau.public_id, tableau.exercice = None, uuid.uuid4(), nouvel
        tableau._state.adding = True
        tableau.save()
        tableau.fiches.set(fiches)
        jalons = {}
        for jalon in Jalon.objects.filter(tableau_id=ancien).order_by("ordre", "pk"):
            ancien_jalon = jalon.pk
            jalon.pk, jalon.tableau = None, tableau
            jalon.date = decaler(jalon.date, annees)
            jalon.libelle = decaler_texte(jalon.libelle, annees)
            jalon.save()
            jalons[ancien_jalon] = jalon
        indicateurs = {}
        for indicateur in parents_d_abord(Indicateur.objects.filter(tableau_id=ancien).order_by("ordre", "pk")):
            ancien_indicateur = indicateur.pk
            indicateur.pk, indicateur.tableau = None, tableau
            indicateur.parent = indicateurs.get(indicateur.parent_id)
            indicateur.save()
            indicateurs[ancien_indicateur] = indicateur
        premier = min(jalons.values(), key=lambda j: (j.ordre, j.pk), default=None)
        cellules = {}  # (indicator, column, dimension value) -> (order in the cell, text)
        for valeur in ValeurIndicateur.objects.filter(indicateur_id__in=indicateurs).select_related("jalon"):
            if valeur.jalon.type == TypeJalon.OBJECTIF:  # the targets carry over
                cellules[valeur.indicateur_id, jalons[valeur.jalon_id], valeur.dimension] = (
                    valeur.ordre_dimension,
                    valeur.texte,
                )
        for valeur in ValeurIndicateur.objects.filter(indicateur_id__in=indicateurs).exclude(dimension=""):
            if premier is not None:  # a dimension value keeps its row: an empty cell in the first column
                cellules.setdefault((valeur.indicateur_id, premier, valeur.dimension), (valeur.ordre_dimension, ""))
        for (indicateur_id, jalon, dimension), (ordre, texte) in cellules.items():
            ValeurIndicateur.objects.create(
                indicateur=indicateurs[indicateur_id],
                jalon=jalon,
                dimension=dimension,
                ordre_dimension=ordre,
                texte=texte,
            )
