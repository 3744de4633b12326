"""The yearly step: prepare the next avenant from an exercice. The new exercice gets its period and deadline, its
groups, the fiches carried forward (same lineage, texts, planned budget with its parts and lines as starting values)
and their indicator tables with the new period's columns (dates and years moved on, objectives kept, measures left
to fill). The agent then keeps, changes, ends (does not carry) or adds fiches.

A fixed number of queries to read the exercice, and writes in bulk: a 60-fiche exercice is prepared in well under
2 s (benchmarks/avenant.py).
"""

import copy
import datetime
import re
import uuid

from django.db import transaction
from django.db.models.base import ModelState
from simple_history.utils import bulk_create_with_history

from actions.models import Action, Fiche, SectionTexte
from budgets.enums import NatureBudget
from budgets.models import Budget, LigneBudget, Part
from conventions.enums import TypeActe
from conventions.models import Exercice, Groupe, date_limite_par_defaut
from conventions.revisions import contenu_modifie
from indicateurs.enums import TypeJalon
from indicateurs.models import Indicateur, Jalon, TableauIndicateurs, ValeurIndicateur
from rapports import resumes

ANNEE = re.compile(r"\b(20\d{2})\b")


def decaler(jour: datetime.date | None, annees: int) -> datetime.date | None:
    """The same day `annees` later (28 February for a 29 February that does not exist)."""
    if jour is None:
        return None
    try:
        return jour.replace(year=jour.year + annees)
    except ValueError:
        return jour.replace(year=jour.year + annees, day=28)


def decaler_texte(texte: str, annees: int) -> str:
    """« Réalisé au 31/12/2019 », « Objectif 2019-2020 » → the same years moved on."""
    return ANNEE.sub(lambda m: str(int(m.group(1)) + annees), texte)


def _copies(objets, **changes):
    """Unsaved copies of model instances (new primary key), with `changes` applied: a value, or a function of the
    original."""
    copies = []
    for objet in objets:
        copie = copy.copy(objet)
        copie.pk = None
        copie._state = ModelState()
        if hasattr(copie, "public_id"):
            copie.public_id = uuid.uuid4()
        for nom, valeur in changes.items():
            setattr(copie, nom, valeur(objet) if callable(valeur) else valeur)
        copies.append(copie)
    return copies


def _par_niveaux(objets, creer, parent_de):
    """Create tree nodes level by level, parents first (their new ids are needed by the children); returns
    {old id: new object}. `creer(originaux, nouveaux_par_ancien)` bulk-creates and returns the copies in order."""
    nouveaux, restants = {}, list(objets)
    while restants:
        niveau = [o for o in restants if parent_de(o) is None or parent_de(o) in nouveaux]
        if not niveau:
            niveau = restants  # a parent outside the set: created without it
        for original, copie in zip(niveau, creer(niveau, nouveaux), strict=True):
            nouveaux[original.pk] = copie
        faits = {o.pk for o in niveau}
        restants = [o for o in restants if o.pk not in faits]
    return nouveaux


@transaction.atomic
def avenant_preparer(
    *,
    exercice,
    libelle,
    date_debut,
    date_fin,
    date_limite_rapport=None,
    fiches=None,
    motif_arret="",
    intitule_acte="",
    user=None,
) -> Exercice:
    """The next exercice of `exercice`'s convention. `fiches`: the fiches to carry forward (all by default); the
    others end after `exercice`, their lineage says so with `motif_arret`; `user`: who prepares it (the history's
    author)."""
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
    historique = {
        "default_user": user,
        "default_change_reason": f"Avenant préparé depuis l'exercice {exercice.libelle}",
    }

    groupes = _par_niveaux(
        Groupe.objects.filter(exercice=exercice).order_by("ordre", "pk"),
        lambda niveau, faits: Groupe.objects.bulk_create(
            _copies(niveau, exercice=nouvel, parent=lambda g: faits.get(g.parent_id))
        ),
        lambda g: g.parent_id,
    )
    retenues = list(Fiche.objects.filter(exercice=exercice).order_by("ordre"))
    if fiches is not None:
        choisies = {f.pk for f in fiches}
        retenues = [f for f in retenues if f.pk in choisies]
    arretees = [f.action_id for f in Fiche.objects.filter(exercice=exercice).exclude(pk__in=[f.pk for f in retenues])]
    Action.objects.filter(pk__in=arretees).update(arretee_apres=exercice, motif_arret=motif_arret)
    contenu_modifie(pk=exercice.pk)  # an update sends no signal: the stopped actions are the exercice's news
    copies = _copies(retenues, exercice=nouvel, version=1, groupe=lambda f: groupes[f.groupe_id])
    nouvelles = dict(zip((f.pk for f in retenues), bulk_create_with_history(copies, Fiche, **historique), strict=True))
    SectionTexte.objects.bulk_create(
        _copies(SectionTexte.objects.filter(fiche_id__in=nouvelles), fiche=lambda s: nouvelles[s.fiche_id])
    )
    _budgets(nouvelles, nouvel, historique)
    _indicateurs(exercice, nouvel, nouvelles, annees, historique)
    resumes.mettre_a_jour([nouvel.pk])  # its rows were bulk-created: no signal rewrote the summary
    return nouvel


def _budgets(nouvelles, nouvel, historique):
    """The planned budget of each fiche carried forward, its lines and parts: the starting values of the avenant."""
    anciens = list(Budget.objects.filter(fiche_id__in=nouvelles, nature=NatureBudget.PREVISIONNEL))
    copies = _copies(
        anciens, fiche=lambda b: nouvelles[b.fiche_id], version=1, intitule=f"Budget prévisionnel {nouvel.libelle}"
    )
    budgets = dict(zip((b.pk for b in anciens), bulk_create_with_history(copies, Budget, **historique), strict=True))
    anciennes_lignes = list(LigneBudget.objects.filter(budget_id__in=budgets).order_by("ordre", "pk"))
    copies = _copies(anciennes_lignes, budget=lambda ligne: budgets[ligne.budget_id])
    lignes = dict(
        zip(
            (ligne.pk for ligne in anciennes_lignes),
            bulk_create_with_history(copies, LigneBudget, **historique),
            strict=True,
        )
    )
    parts = Part.objects.filter(budget_id__in=budgets).order_by("ordre", "pk")
    copies = _copies(parts, budget=lambda p: budgets[p.budget_id], ligne=lambda p: lignes.get(p.ligne_id))
    bulk_create_with_history(copies, Part, **historique)


def _indicateurs(exercice, nouvel, nouvelles, annees, historique):
    """Each table serving a fiche carried forward, for the new period: its columns dated `annees` later, its
    indicators, its objectives; the rows of each dimension value kept (empty cells), measures left to fill."""
    anciens = list(
        TableauIndicateurs.objects.filter(exercice=exercice, fiches__in=list(nouvelles))
        .distinct()
        .order_by("ordre", "pk")
    )
    tableaux = dict(
        zip(
            (t.pk for t in anciens),
            TableauIndicateurs.objects.bulk_create(_copies(anciens, exercice=nouvel)),
            strict=True,
        )
    )
    Lien = TableauIndicateurs.fiches.through
    Lien.objects.bulk_create(
        Lien(tableauindicateurs_id=tableaux[lien.tableauindicateurs_id].pk, fiche_id=nouvelles[lien.fiche_id].pk)
        for lien in Lien.objects.filter(tableauindicateurs_id__in=tableaux, fiche_id__in=nouvelles)
    )
    anciens_jalons = list(Jalon.objects.filter(tableau_id__in=tableaux).order_by("tableau_id", "ordre", "pk"))
    copies = _copies(
        anciens_jalons,
        tableau=lambda j: tableaux[j.tableau_id],
        date=lambda j: decaler(j.date, annees),
        libelle=lambda j: decaler_texte(j.libelle, annees),
    )
    jalons = dict(zip((j.pk for j in anciens_jalons), Jalon.objects.bulk_create(copies), strict=True))
    indicateurs = _par_niveaux(
        Indicateur.objects.filter(tableau_id__in=tableaux).order_by("ordre", "pk"),
        lambda niveau, faits: Indicateur.objects.bulk_create(
            _copies(niveau, tableau=lambda i: tableaux[i.tableau_id], parent=lambda i: faits.get(i.parent_id))
        ),
        lambda i: i.parent_id,
    )
    premiers = {}
    for jalon in anciens_jalons:
        premiers.setdefault(jalon.tableau_id, jalons[jalon.pk])
    cellules = {}  # (old indicator, new column, dimension value) -> (order in the cell, text)
    valeurs = list(ValeurIndicateur.objects.filter(indicateur_id__in=indicateurs).select_related("jalon", "indicateur"))
    for valeur in valeurs:
        if valeur.jalon.type == TypeJalon.OBJECTIF:  # the targets carry over
            cle = (valeur.indicateur_id, jalons[valeur.jalon_id], valeur.dimension)
            cellules[cle] = (valeur.ordre_dimension, valeur.texte)
    for valeur in valeurs:
        premier = premiers.get(valeur.indicateur.tableau_id)
        if valeur.dimension and premier is not None:  # a dimension value keeps its row: an empty first cell
            cle = (valeur.indicateur_id, premier, valeur.dimension)
            cellules.setdefault(cle, (valeur.ordre_dimension, ""))
    nouvelles_valeurs = []
    for (indicateur_id, jalon, dimension), (ordre, texte) in cellules.items():
        valeur = ValeurIndicateur(
            indicateur=indicateurs[indicateur_id], jalon=jalon, dimension=dimension, ordre_dimension=ordre, texte=texte
        )
        valeur.relire()
        nouvelles_valeurs.append(valeur)
    bulk_create_with_history(nouvelles_valeurs, ValeurIndicateur, **historique)
